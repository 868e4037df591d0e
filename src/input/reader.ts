import { constants } from "node:buffer";
import { formatBytes } from "../byte-size.js";
import { InputError, type ProfileMeta } from "../model/profile.js";
import type { MergeMode, StackTree } from "../model/stack-tree.js";
import type { PerfOptions } from "./perf.js";
import type { SampleLabels } from "../model/profile.js";

/**
 * One input format: how to recognise it and how to read it. Every reader is
 * listed once in `formats.ts`; detection walks that list in order, so adding
 * a format is one module and one line there.
 */
export interface ProfileReader {
  /** The `--format` name. */
  readonly name: string;
  /** Value channels of the tree it fills: 2 for a differential input (after, before). */
  readonly channels?: 1 | 2;
  /** The format-specific read options it reads; the others given for its input are reported as ignored. */
  readonly uses?: readonly FormatOption[];
  /** True when it reads its input a second time if it can (`ReadContext.reread`). */
  readonly readsTwice?: boolean;
  /** True when the first decompressed bytes are this format. */
  detect(head: Head): boolean;
  /**
   * Reads the whole (decompressed) input, given as chunks of bytes, into
   * `context.tree`. Throws InputError for input it cannot read.
   */
  read(input: AsyncIterable<Uint8Array>, context: ReadContext): Promise<ProfileMeta>;
}

/** Read options that only some formats have a use for. */
export type FormatOption = "sampleIndex" | "perf" | "keepLabels";

export interface ReadOptions {
  /** Skip detection and read as this format. */
  format?: string;
  /** pprof sample type or `.cpuprofile` weighting (`samples`/`time`). */
  sampleIndex?: string | number;
  perf?: PerfOptions;
  keepLabels?: (labels: SampleLabels) => boolean;
  /** "adjacent" keeps time order for flame charts. */
  mergeMode?: MergeMode;
  /** Bytes one input may have, read or decompressed (--max-input-size); default DEFAULT_MAX_INPUT_BYTES. */
  maxInputBytes?: number;
}

export interface ReadContext {
  /** How errors name the input. */
  source: string;
  tree: StackTree;
  options: ReadOptions;
  /** Throws once the source's time is up (--timeout); long synchronous loops call it now and then. */
  checkDeadline(): void;
  /**
   * The same input again, from its start, for a reader that `readsTwice`
   * rather than hold much of it: read from the file again, or inflated again
   * from the compressed bytes of a gzipped input that cannot be read twice
   * (stdin, a URL). Undefined when neither is possible.
   */
  reread?: () => AsyncIterable<Uint8Array>;
}

/** What detection sees of an input. */
export interface Head {
  readonly bytes: Uint8Array;
  /** True when the bytes are not text (see `looksBinary`); `text` and `lines` are then empty. */
  readonly binary: boolean;
  readonly text: string;
  /** The complete lines of `text`, without their terminators. */
  readonly lines: readonly string[];
}

export function headOf(bytes: Uint8Array): Head {
  const binary = looksBinary(bytes);
  const text = binary ? "" : new TextDecoder().decode(bytes);
  return { bytes, binary, text, lines: binary ? [] : completeLines(text) };
}

/**
 * Protobuf is full of control bytes (tags, lengths, small varints); text
 * profiles have next to none, though a hostile function name may carry a
 * few. More than 1% control bytes (and at least four), or bytes that are
 * not UTF-8, is binary.
 */
function looksBinary(head: Uint8Array): boolean {
  const sample = head.subarray(0, 4096);
  let control = 0;
  for (const byte of sample) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x1b) control++;
  }
  if (control >= 4 && control * 100 > sample.length) return true;
  try {
    // A multi-byte character may be cut at the end of the sample: streaming mode leaves it pending.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return false;
  } catch {
    return true;
  }
}

/** The lines of a text head, without a possibly cut-off last line. */
function completeLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.length > 1) lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/**
 * The whole input as one buffer, for formats that are not read line by line
 * (protobuf, JSON, gperftools); the error `tooLarge` past `maxBytes`, by
 * default the largest buffer Node makes.
 */
export async function readAllBytes(
  input: AsyncIterable<Uint8Array>,
  source: string,
  maxBytes = constants.MAX_LENGTH,
  tooLarge = `a profile over ${formatBytes(constants.MAX_LENGTH)} cannot be held in one buffer`,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += chunk.length;
    if (size > maxBytes) throw new InputError(source, tooLarge);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * The whole input as one string, for formats parsed whole (JSON, CSV, GHC's
 * reports): within the longest string V8 makes, past which `kind` names what
 * could not be read.
 */
export async function readAllText(input: AsyncIterable<Uint8Array>, source: string, kind: string): Promise<string> {
  const bytes = await readAllBytes(input, source, constants.MAX_STRING_LENGTH, `a ${kind} profile over 512 MiB cannot be read: V8 strings are no longer`);
  return new TextDecoder().decode(bytes);
}
