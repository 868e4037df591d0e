import { hasTwoCounts } from "./folded.js";

export type Format = "pprof" | "folded" | "folded-diff" | "perf" | "cpuprofile";
export const FORMATS: readonly Format[] = ["pprof", "folded", "folded-diff", "perf", "cpuprofile"];

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
    // A multi-byte character may be cut at the end of the sample; drop up to 3 bytes.
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, Math.max(0, sample.length - 3)));
    return false;
  } catch {
    return true;
  }
}

/**
 * A protobuf message starts with a field tag: pprof's Profile has message,
 * string and packed fields 1-6, 11 and 13 (wire type 2) and integer fields
 * 7-10, 12-15 (wire type 0). Go writes them in no fixed order.
 */
function startsLikePprof(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  const field = head[0] >> 3;
  const wireType = head[0] & 7;
  if (wireType === 2) return (field >= 1 && field <= 6) || field === 11 || field === 13;
  return wireType === 0 && field >= 7 && field <= 15 && field !== 11;
}

/** The first lines of a text head, without a possibly cut-off last line. */
function headLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.length > 1) lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/** First lines of the text forms Go's profiles take with ?debug=1 or 2. */
const GO_TEXT_PROFILE = /^(goroutine profile: total \d|threadcreate profile: total \d|heap profile: \d|--- (contention|mutex):|goroutine \d+ \[)/;

/**
 * Go's debug=1/2 text profiles would otherwise be read as folded stacks and
 * draw nonsense; name them so the user can fetch the protobuf form instead.
 */
export function unsupportedTextFormat(head: Uint8Array): string | undefined {
  const firstLine = new TextDecoder().decode(head.subarray(0, 200)).trimStart().split("\n", 1)[0];
  return GO_TEXT_PROFILE.test(firstLine)
    ? "Go's text profile format (debug=1 or 2) is not supported: write or fetch the profile with debug=0 (protobuf)"
    : undefined;
}

/**
 * Picks a format from the first bytes of the (decompressed) input: content
 * decides, never the file name. Returns undefined for binary data that is
 * not a protobuf message starting with pprof's first field.
 */
export function detectFormat(head: Uint8Array, looksLikePerf: (lines: string[]) => boolean): Format | undefined {
  if (looksBinary(head)) return startsLikePprof(head) ? "pprof" : undefined;
  const text = new TextDecoder().decode(head.subarray(0, 65536));
  if (text.trimStart().startsWith("{")) return "cpuprofile";
  const lines = headLines(text);
  if (looksLikePerf(lines)) return "perf";
  const firstStack = lines.find((l) => l.trim() !== "");
  return firstStack !== undefined && hasTwoCounts(firstStack) ? "folded-diff" : "folded";
}
