/**
 * Gunzipping with pako, loaded only by runs that meet gzip (see isGzip in
 * gzip-magic.ts, which detection uses without loading this).
 */
import { Inflate } from "pako";
import { InputError } from "../model/profile.js";
import { DEFAULT_MAX_INPUT_BYTES, inputTooLarge } from "./input-limit.js";

/** pako reports a stream that ends early as "buffer error"; say what it means. */
function describeInflateError(message: string): string {
  return message === "buffer error" || message === "" ? "truncated gzip data" : `corrupt gzip data (${message})`;
}

/** Compressed bytes fed to the inflater at a time by `gunzipChunks`. */
const SLICE_BYTES = 1 << 16;

/**
 * Gunzips a whole buffer, within the same limit as a stream, in chunks as
 * they are inflated: the caller need not hold the whole output at once.
 */
export function* gunzipChunks(bytes: Uint8Array, source: string, maxBytes = DEFAULT_MAX_INPUT_BYTES): Generator<Uint8Array> {
  const stream = new GunzipStream(source, maxBytes);
  for (let start = 0; start < bytes.length; start += SLICE_BYTES) yield* stream.push(bytes.subarray(start, start + SLICE_BYTES));
  yield* stream.finish();
}

/**
 * Incremental gunzip of a streamed input. The output is counted as pako
 * produces it, so a gzip bomb stops at `maxBytes` of output rather than
 * after inflating a whole input chunk (up to 1032 times its size).
 */
export class GunzipStream {
  private readonly inflater = new Inflate();
  private readonly pending: Uint8Array[] = [];
  private produced = 0;

  constructor(
    private readonly source: string,
    maxBytes: number,
  ) {
    this.inflater.onData = (chunk: Uint8Array) => {
      this.produced += chunk.length;
      if (this.produced > maxBytes) throw inputTooLarge(source, maxBytes, true);
      this.pending.push(chunk);
    };
  }

  /** Feeds compressed bytes; returns whatever decompressed bytes are ready. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.inflater.push(chunk, false);
    return this.drain();
  }

  /** Ends the stream; throws when it was cut short or corrupt. */
  finish(): Uint8Array[] {
    if (!this.inflater.ended) this.inflater.push(new Uint8Array(0), true);
    if (this.inflater.err || !this.inflater.ended) throw new InputError(this.source, describeInflateError(this.inflater.msg));
    return this.drain();
  }

  private drain(): Uint8Array[] {
    if (this.inflater.err) throw new InputError(this.source, describeInflateError(this.inflater.msg));
    return this.pending.splice(0);
  }
}
