import { formatBytes } from "../byte-size.js";
import { InputError } from "../model/profile.js";

/**
 * How many bytes one input may have, read or decompressed, unless
 * --max-input-size says otherwise. Like curl's --max-filesize, reading stops
 * at the limit, so that a gzip bomb or an endless HTTP body costs neither
 * the memory nor the time of reading it whole.
 */
export const DEFAULT_MAX_INPUT_BYTES = 4 * 2 ** 30;

/** The one-line error for an input past the limit, naming the flag that raises it. */
export function inputTooLarge(source: string, limit: number, decompressed: boolean): InputError {
  const what = decompressed ? "decompresses to more than" : "is larger than";
  return new InputError(source, `${what} the input size limit of ${formatBytes(limit)} (see --max-input-size)`);
}
