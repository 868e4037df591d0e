import { StringDecoder } from "node:string_decoder";
import { InputError, type Profile, type ProfileMeta } from "../model/profile.js";
import { StackTree, type MergeMode } from "../model/stack-tree.js";
import { readCpuProfile } from "./cpuprofile.js";
import { detectFormat, unsupportedTextFormat, type Format } from "./detect.js";
import { createFoldedParser } from "./folded.js";
import { GunzipStream, isGzip } from "./gzip.js";
import type { LineParser } from "./line-parser.js";
import { createPerfParser, looksLikePerfScript, type PerfOptions } from "./perf.js";
import { readPprof, type SampleLabels } from "./pprof.js";
import type { InputSource } from "./source.js";

export interface ReadOptions {
  /** Skip detection and read as this format. */
  format?: Format;
  /** pprof sample type or `.cpuprofile` weighting (`samples`/`time`). */
  sampleIndex?: string | number;
  perf?: PerfOptions;
  keepLabels?: (labels: SampleLabels) => boolean;
  /** "adjacent" keeps time order for flame charts. */
  mergeMode?: MergeMode;
}

/** How many decompressed bytes format detection looks at. */
const HEAD_BYTES = 65536;

/** Reads one source, whatever its format, into a fresh tree. */
export async function readProfile(source: InputSource, options: ReadOptions = {}): Promise<Profile & { format: Format }> {
  const chunks = decompressed(source)[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let done = false;
  while (headSize < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headSize += next.value.length;
  }
  const headBytes = Buffer.concat(head);
  const format = options.format ?? detectFormat(headBytes, looksLikePerfScript);
  if (format === undefined) throw new InputError(source.name, "not a recognised profile: binary data that is neither gzip nor pprof");
  const unsupported = format === "folded" ? unsupportedTextFormat(headBytes) : undefined;
  if (unsupported) throw new InputError(source.name, unsupported);

  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => (done ? emptyIterator() : chunks) };
  const tree = new StackTree(format === "folded-diff" ? 2 : 1, options.mergeMode ?? "merge");
  let meta: ProfileMeta;
  switch (format) {
    case "pprof":
      meta = readPprof(await concat(head, rest), source.name, options, tree);
      break;
    case "cpuprofile": {
      const text = new TextDecoder().decode(await concat(head, rest));
      meta = readCpuProfile(text, source.name, { sampleIndex: options.sampleIndex?.toString() }, tree);
      break;
    }
    case "perf":
      meta = await feedLines(head, rest, createPerfParser(tree, source.name, options.perf ?? {}));
      break;
    case "folded":
    case "folded-diff":
      meta = await feedLines(head, rest, createFoldedParser(tree, source.name, { diff: format === "folded-diff" }));
      break;
  }
  assertFiniteTotals(tree, source.name);
  return { ...meta, tree, format };
}

/**
 * Values that overflow to Infinity (a 400-digit count, huge time deltas)
 * would be drawn as NaN-wide frames; say so instead. NaN and Infinity
 * anywhere in the tree reach the root total, so one check per channel does.
 */
function assertFiniteTotals(tree: StackTree, source: string): void {
  for (let channel = 0; channel < tree.channels; channel++) {
    if (!Number.isFinite(tree.totals(channel)[tree.root])) {
      throw new InputError(source, "the sample values add up to more than a 64-bit number can hold");
    }
  }
}

function emptyIterator(): AsyncIterator<Uint8Array> {
  return { next: async () => ({ done: true, value: undefined }) };
}

/** The source's bytes, gunzipped on the fly when they start with the gzip magic. */
async function* decompressed(source: InputSource): AsyncGenerator<Uint8Array> {
  let gunzip: GunzipStream | undefined;
  let first = true;
  let sawBytes = false;
  for await (const chunk of source.chunks()) {
    if (chunk.length === 0) continue;
    if (first) {
      first = false;
      if (isGzip(chunk)) gunzip = new GunzipStream(source.name);
    }
    sawBytes = true;
    if (gunzip) yield* gunzip.push(chunk);
    else yield chunk;
  }
  if (!sawBytes) throw new InputError(source.name, "empty input");
  if (gunzip) yield* gunzip.finish();
}

async function concat(head: Uint8Array[], rest: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const all = [...head];
  for await (const chunk of rest) all.push(chunk);
  return Buffer.concat(all);
}

/** Streams bytes into a line parser: UTF-8 decoded, split on \n, \r\n tolerated. */
async function feedLines(head: Uint8Array[], rest: AsyncIterable<Uint8Array>, parser: LineParser): Promise<ProfileMeta> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  const push = (chunk: Uint8Array) => {
    const text = carry + decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      parser.line(text.slice(start, end));
      start = nl + 1;
    }
    carry = text.slice(start);
  };
  for (const chunk of head) push(chunk);
  for await (const chunk of rest) push(chunk);
  carry += decoder.end();
  if (carry !== "") parser.line(carry.endsWith("\r") ? carry.slice(0, -1) : carry);
  return parser.end();
}
