import { InputError, type ProfileMeta } from "../model/profile.js";
import { detached, type StackTree } from "../model/stack-tree.js";
import { parseCount, type Value } from "../model/value.js";
import { ByteMap } from "./byte-map.js";
import { readLines, type LineParser } from "./line-parser.js";
import type { ProfileReader } from "./reader.js";
import { demangleRustLegacy } from "./rust-demangle.js";

/**
 * `perf script` text, collapsed exactly as stackcollapse-perf.pl does with
 * the same-named flags. Its regular expressions are reproduced here as
 * hand-written scanners that accept the same lines, so that no input can make
 * them backtrack.
 *
 * The input is a series of samples separated by blank lines:
 *
 *     java 12688/12764 [002] 6544038.708352:   10309278 cpu-clock:
 *             7f1e214c24d9 SpinPause (/usr/lib/jvm/libjvm.so)
 *             7f1e21c41e9a start_thread (/lib/libpthread-2.15.so)
 *
 * a header (comm, [pid/]tid, then optional cpu, time, period and the event)
 * followed by one `address symbol (module)` line per frame, leaf first.
 * Recorded without call graphs (no `-g`), each sample is one line: the header
 * (comm right-aligned in 16 columns) and its one frame after the event.
 */

/** stackcollapse-perf.pl's flags of the same names. */
export interface PerfOptions {
  /** Root frame `comm-PID` (PID is `?` when perf printed only the TID). */
  pid?: boolean;
  /** Root frame `comm-PID/TID`; wins over `pid`. */
  tid?: boolean;
  /** Suffix `_[k]` on kernel frames. */
  kernel?: boolean;
  /** Suffix `_[j]` on JIT frames (symbols from a /tmp/perf-PID.map). */
  jit?: boolean;
  /** `kernel` and `jit`. */
  all?: boolean;
  /** `[module <address>]` instead of `[module]` for frames without a symbol. */
  addrs?: boolean;
  /** Keep only samples of this event; by default, the first event seen. */
  eventFilter?: string;
  /** Show Rust legacy symbols (`_ZN...17h<hash>E`) demangled, without their hash. */
  demangle?: boolean;
}

/** What the stack-line scanner extracts, as the Perl script's `$pc`, `$rawfunc` and `$mod`. */
interface FrameLine {
  address: string;
  symbol: string;
  module: string;
  /** `symbol (module)`: the line without its address, which decides the frame names. */
  text: string;
}

interface SampleHeader {
  comm: string;
  /** `?` when perf printed a single number, which is the TID. */
  pid: string;
  tid: string;
  /** Undefined when the header carries no recognisable `event:`. */
  event?: string;
  period?: string;
  /** The frame after the event on a sample without a call graph. */
  frame?: FrameLine;
}

/** A sample being read: its root frame and its frames so far, leaf first. */
interface OpenSample {
  rootId: number;
  value: Value;
  frameIds: number[];
}

export const perfReader: ProfileReader = {
  name: "perf",
  uses: ["perf"],
  detect: (head) => looksLikePerfScript(head.lines),
  read: (input, { source, tree, options }) => readLines(input, createPerfParser(tree, source, options.perf ?? {}), source),
};

export function createPerfParser(tree: StackTree, source: string, options: PerfOptions): LineParser {
  return new PerfCollapser(tree, source, options);
}

/**
 * True when the first non-comment line is a sample header and the line after
 * it a frame (`hexaddr symbol (module)`, normally indented), or when it is a
 * one-line sample.
 */
export function looksLikePerfScript(firstLines: readonly string[]): boolean {
  const start = firstLines.findIndex((line) => line !== "" && !line.startsWith("#"));
  if (start === -1) return false;
  if (parseSingleLineSample(firstLines[start]) !== undefined) return true;
  if (start + 1 >= firstLines.length) return false;
  const frame = parseFrameLine(firstLines[start + 1]);
  return parseSampleHeader(firstLines[start]) !== undefined && frame !== undefined && isHex(frame.address);
}

class PerfCollapser implements LineParser {
  private readonly annotateKernel: boolean;
  private readonly annotateJit: boolean;
  private eventFilter: string | undefined;
  private sample: OpenSample | undefined;
  /** Whether the open sample's process is a JVM, whose frame names get tidied further. */
  private javaProcess = false;
  /** Frame ids per `symbol (module)` text, one cache for JVM processes and one for the rest. */
  private readonly frameCache = [new Map<string, number[]>(), new Map<string, number[]>()];
  /** The same ids keyed by the bytes of the `symbol (module)` text, for `lineBytes`. */
  private readonly knownFrames = [new ByteMap<number[]>(), new ByteMap<number[]>()];
  /** And keyed by whole stack lines, address and indentation included: a line seen before is not scanned at all. */
  private readonly knownLines = [new ByteMap<number[]>(), new ByteMap<number[]>()];
  /** Where the line being read has its `symbol (module)` text (see scanFrameLine). */
  private readonly span: TextSpan = { textStart: 0, textEnd: 0 };
  private lineNumber = 0;
  private samplesKept = 0;
  private framesSeen = 0;
  private sawPeriod = false;
  private readonly skippedEvents = new Map<string, number>();
  /** Lines that are neither comments, headers, frames nor blank, which perl warns about. */
  private unrecognisedCount = 0;
  /** The first few of them, to point the user at. */
  private readonly unrecognisedLines: number[] = [];

  constructor(
    private readonly tree: StackTree,
    private readonly source: string,
    private readonly options: PerfOptions,
  ) {
    this.annotateKernel = Boolean(options.kernel || options.all);
    this.annotateJit = Boolean(options.jit || options.all);
    this.eventFilter = options.eventFilter || undefined;
  }

  /**
   * The bulk of a perf script is stack lines seen before: those are
   * recognised from their bytes without decoding the line, first as a
   * whole line, then (the same function at another address) from their
   * `symbol (module)` text. Only an indented line inside a sample, that
   * cannot be a one-line sample (no field ends in `:`), is taken this way;
   * all else goes through `line`.
   */
  lineBytes(bytes: Buffer, words: DataView, start: number, end: number): void {
    const kind = this.javaProcess ? 1 : 0;
    const lines = this.knownLines[kind];
    const lineIds = this.sample !== undefined ? lines.get(bytes, words, start, end) : undefined;
    if (lineIds) {
      this.lineNumber++;
      this.pushFrameIds(lineIds);
      return;
    }
    const span = this.span;
    const known = this.sample !== undefined && isIndented(bytes, start, end) && !mayHoldAnEvent(bytes, start, end) && scanFrameLine(bytes, start, end, span);
    const frames = this.knownFrames[kind];
    const ids = known && frames.get(bytes, words, span.textStart, span.textEnd);
    if (ids) {
      this.lineNumber++;
      this.pushFrameIds(ids);
      lines.add(bytes, words, start, end, ids);
      return;
    }
    const frame = this.readLine(bytes.toString("utf8", start, end));
    // Next time, the bytes are enough (unless the names depend on the address too, which only --addrs does).
    // A stack line changes no state that picks the cache, so `kind` still holds.
    const cached = known && frame && this.sample && this.frameCache[kind].get(frame.text);
    if (known && cached) {
      frames.add(bytes, words, span.textStart, span.textEnd, cached);
      lines.add(bytes, words, start, end, cached);
    }
  }

  line(text: string): void {
    this.readLine(text);
  }

  /** Reads one line; returns the stack line's fields when it was one. */
  private readLine(text: string): FrameLine | undefined {
    this.lineNumber++;
    if (text === "") {
      this.closeSample();
      return undefined;
    }
    if (text.charCodeAt(0) === HASH) return undefined;
    // Frames are indented, so only unindented lines can be headers of
    // samples with call graphs; the Perl tool tries the header pattern
    // first, which matters for perf versions that print frames unindented.
    // A one-line sample's comm is right-aligned, so may be indented.
    const header = isSpace(text.charCodeAt(0)) ? parseSingleLineSample(text) : parseSampleHeader(text);
    if (header?.frame) {
      this.addSingleLineSample(header, header.frame);
      return undefined;
    }
    if (header) {
      this.openSample(header);
      return undefined;
    }
    const frame = parseFrameLine(text);
    if (frame) {
      this.addFrame(frame);
      return frame;
    }
    this.unrecognisedCount++;
    if (this.unrecognisedLines.length < MAX_REPORTED_LINES) this.unrecognisedLines.push(this.lineNumber);
    return undefined;
  }

  end(): ProfileMeta {
    // Unlike stackcollapse-perf.pl, which counts a sample only at the blank
    // line after it, the last sample counts without one.
    this.closeSample();
    if (this.samplesKept === 0 || this.framesSeen === 0) throw new InputError(this.source, this.emptyReason());
    const warnings = this.warnings();
    return {
      sampleType: this.eventFilter ?? "samples",
      // stackcollapse-perf.pl adds up the period when perf prints one (event
      // counts or nanoseconds), and counts samples otherwise.
      unit: this.sawPeriod ? "count" : "samples",
      warnings,
    };
  }

  /** A sample recorded without a call graph: its header and its one frame, on one line. */
  private addSingleLineSample(header: SampleHeader, frame: FrameLine): void {
    this.closeSample();
    if (!this.openSample(header)) return;
    this.addFrame(frame);
    this.closeSample();
  }

  /** Opens a sample for the header, unless the event filter skips it; says whether it did. */
  private openSample(header: SampleHeader): boolean {
    if (header.event !== undefined) {
      // Several events in one profile would add up unlike things (cycles and
      // instructions), so by default only the first event seen is kept.
      this.eventFilter ??= detached(header.event);
      if (header.event !== this.eventFilter) {
        this.skippedEvents.set(detached(header.event), (this.skippedEvents.get(header.event) ?? 0) + 1);
        // Like the Perl tool, leave the open sample alone: only a blank line
        // closes it, so a skipped header inside it changes nothing.
        return false;
      }
    }
    if (header.period !== undefined) this.sawPeriod = true;
    const root = this.rootFrame(header);
    const rootId = this.tree.intern(root);
    // perl treats a period of "0" as false and counts the sample as 1.
    const value = header.period === undefined || header.period === "0" ? 1 : parseCount(header.period);
    // A header without a blank line before it continues the open sample's
    // stack under the new root, as the Perl tool's accumulating stack does.
    const frameIds = this.sample?.frameIds ?? [];
    this.sample = { rootId, value, frameIds };
    this.javaProcess = root.startsWith("java");
    return true;
  }

  private rootFrame({ comm, pid, tid }: SampleHeader): string {
    const name = this.options.tid ? `${comm}-${pid}/${tid}` : this.options.pid ? `${comm}-${pid}` : comm;
    return name.includes(" ") ? name.replaceAll(" ", "_") : name;
  }

  private addFrame(frame: FrameLine): void {
    if (this.sample) this.pushFrameIds(this.frameIds(frame));
  }

  private pushFrameIds(ids: readonly number[]): void {
    // The ids are root first within the line; the sample is kept leaf first.
    for (let i = ids.length - 1; i >= 0; i--) this.sample!.frameIds.push(ids[i]);
    this.framesSeen++;
  }

  /** Ids of the frames one stack line stands for: usually one, more for `a->b` inline chains. */
  private frameIds(frame: FrameLine): number[] {
    // With --addrs an unresolved frame's name carries its address, so it is
    // not shared with other lines of the same text.
    const addressMatters = this.options.addrs && frame.symbol.includes(UNKNOWN);
    const cache = this.frameCache[this.javaProcess ? 1 : 0];
    let ids = addressMatters ? undefined : cache.get(frame.text);
    if (!ids) {
      ids = this.frameNames(frame).map((name) => this.tree.intern(name));
      if (!addressMatters) cache.set(detached(frame.text), ids);
    }
    return ids;
  }

  private frameNames({ address, symbol, module }: FrameLine): string[] {
    const raw = this.options.demangle ? demangleRustLegacy(stripSymbolOffset(symbol)) : stripSymbolOffset(symbol);
    // perf prints "(comm)" lines in some versions; they are not frames.
    if (raw.startsWith("(")) return [];
    return splitInlineChain(raw).map((part, depth) => {
      let name = part === UNKNOWN ? unresolvedName(address, module, Boolean(this.options.addrs)) : part;
      name = tidySymbol(name);
      if (this.javaProcess) name = stripJavaTypePrefix(name);
      return name + this.annotation(name, module, depth);
    });
  }

  private annotation(name: string, module: string, depth: number): string {
    if (depth > 0) return name.includes("_[i]") ? "" : "_[i]";
    if (this.annotateKernel && isKernelModule(module)) return "_[k]";
    if (this.annotateJit && JIT_MAP.test(module) && !name.includes("_[j]")) return "_[j]";
    return "";
  }

  private closeSample(): void {
    if (!this.sample) return;
    const { rootId, value, frameIds } = this.sample;
    frameIds.push(rootId);
    this.tree.addIdsLeafFirst(frameIds, value);
    this.samplesKept++;
    this.sample = undefined;
  }

  private warnings(): string[] {
    const warnings: string[] = [];
    if (this.skippedEvents.size > 0) {
      const skipped = [...this.skippedEvents].map(([event, count]) => `${count} ${event}`).join(", ");
      warnings.push(`kept only ${this.eventFilter} samples; skipped ${skipped} (choose with --event-filter)`);
    }
    if (this.unrecognisedCount > 0) {
      const more = this.unrecognisedCount > this.unrecognisedLines.length ? ", ..." : "";
      warnings.push(`skipped ${this.unrecognisedCount} unrecognised line(s) (line ${this.unrecognisedLines.join(", ")}${more})`);
    }
    return warnings;
  }

  private emptyReason(): string {
    if (this.skippedEvents.size > 0 && this.samplesKept === 0) {
      const seen = [...this.skippedEvents.keys()].join(", ");
      return `no samples of event "${this.eventFilter}" in perf script output (events present: ${seen})`;
    }
    if (this.samplesKept > 0) {
      return `no stacks found in perf script output: ${this.samplesKept} sample(s) without call-stack frames (record with perf record -g)`;
    }
    return "no stacks found in perf script output";
  }
}

const HASH = 35;
const MAX_REPORTED_LINES = 5;
const UNKNOWN = "[unknown]";
const JIT_MAP = /\/tmp\/perf-\d+\.map/;

/**
 * A sample header: `comm [pid/]tid ...`, where comm (at least two characters,
 * possibly with spaces) is the shortest prefix followed by whitespace and a
 * `digits[/digits]` field that is itself followed by whitespace.
 */
function parseSampleHeader(line: string): SampleHeader | undefined {
  if (line.length === 0 || isSpace(line.charCodeAt(0))) return undefined;
  for (let commEnd = 2; commEnd < line.length; commEnd++) {
    if (!isSpace(line.charCodeAt(commEnd))) continue;
    const at = skipSpace(line, commEnd);
    const ids = parseIdField(line, at);
    if (!ids) {
      commEnd = at;
      continue;
    }
    const comm = line.slice(0, commEnd);
    const fields = parseEventField(line) ?? parseFieldsAfterIds(line, ids.end);
    const pid = ids.tid === undefined ? "?" : ids.first;
    return { comm, pid, tid: ids.tid ?? ids.first, ...fields };
  }
  return undefined;
}

/** A sample without a call graph: a header, possibly indented, with its frame after the event. */
function parseSingleLineSample(line: string): SampleHeader | undefined {
  const header = parseSampleHeader(line.slice(skipSpace(line, 0)));
  return header?.frame ? header : undefined;
}

/** `digits[/+digits]` followed by whitespace, at `start`. */
function parseIdField(line: string, start: number): { first: string; tid?: string; end: number } | undefined {
  const firstEnd = skipDigits(line, start);
  if (firstEnd === start) return undefined;
  let at = firstEnd;
  while (line.charCodeAt(at) === SLASH) at++;
  const secondEnd = skipDigits(line, at);
  if (secondEnd >= line.length || !isSpace(line.charCodeAt(secondEnd))) return undefined;
  const first = line.slice(start, firstEnd);
  const second = line.slice(at, secondEnd);
  // perl treats "0" as false, so `swapper 0/0` reads as a lone TID 0.
  return second === "" || second === "0" ? { first, end: secondEnd } : { first, tid: second, end: secondEnd };
}

const CPU_FIELD = /^\[\d+\]$/;
const TIME_FIELD = /^\d+(?:\.\d+)?:$/;
const PERIOD_FIELD = /^\d+$/;

/**
 * The fields after `[pid/]tid`, read forwards as perf prints them: `[cpu]`,
 * `time:` and the period when present, then `event:`, then on a sample
 * without a call graph its frame (`address symbol (module)`). This reads the
 * headers whose end the Perl tool's pattern does not match: those without a
 * time field (`java 19983 cycles:`), and one-line samples.
 */
function parseFieldsAfterIds(line: string, start: number): { event: string; period?: string; frame?: FrameLine } | undefined {
  let at = skipSpace(line, start);
  const nextField = (pattern: RegExp): string | undefined => {
    let end = at;
    while (end < line.length && !isSpace(line.charCodeAt(end))) end++;
    const field = line.slice(at, end);
    if (!pattern.test(field)) return undefined;
    at = skipSpace(line, end);
    return field;
  };
  nextField(CPU_FIELD);
  nextField(TIME_FIELD);
  const period = nextField(PERIOD_FIELD);
  const event = nextField(EVENT_FIELD);
  if (event === undefined) return undefined;
  const frame = at < line.length ? parseFrameLine(line.slice(at)) : undefined;
  return { event: event.slice(0, -1), period, frame: frame && isHex(frame.address) ? frame : undefined };
}

/** `name:`, where the name may hold colons itself (`cycles:u:`, `sched:sched_switch:`). */
const EVENT_FIELD = /^\S+:$/;

/**
 * The header's end as stackcollapse-perf.pl reads it: `: [period] event:` and
 * trailing whitespace, as in `6544038.708352:   10309278 cpu-clock:` or
 * `1410597.984841: instructions:`.
 */
function parseEventField(line: string): { event: string; period?: string } | undefined {
  const end = skipSpaceBackwards(line, line.length);
  if (line.charCodeAt(end - 1) !== COLON) return undefined;
  const eventEnd = end - 1;
  let eventStart = eventEnd;
  while (eventStart > 0 && !isSpace(line.charCodeAt(eventStart - 1))) eventStart--;
  if (eventStart === eventEnd) return undefined;
  let at = skipSpaceBackwards(line, eventStart);
  if (at === eventStart) return undefined;
  const event = line.slice(eventStart, eventEnd);
  if (line.charCodeAt(at - 1) === COLON) return { event };
  const periodEnd = at;
  while (at > 0 && isDigit(line.charCodeAt(at - 1))) at--;
  if (at === periodEnd || line.charCodeAt(skipSpaceBackwards(line, at) - 1) !== COLON) return undefined;
  return { event, period: line.slice(at, periodEnd) };
}

/**
 * A stack line: `address symbol (module)`. The symbol runs to the last ` (`
 * that has a `)` after it and the module to the last `)`, so that symbols
 * and module paths may contain spaces and parentheses.
 */
function parseFrameLine(line: string): FrameLine | undefined {
  const addressStart = skipSpace(line, 0);
  let addressEnd = addressStart;
  while (addressEnd < line.length && isWordChar(line.charCodeAt(addressEnd))) addressEnd++;
  if (addressEnd === addressStart) return undefined;
  const close = line.lastIndexOf(")");
  if (close < 2) return undefined;
  const open = line.lastIndexOf(" (", close - 2);
  if (open === -1) return undefined;
  // The symbol is never empty: when the module follows the address directly,
  // the pattern gives the last character before " (" to the symbol.
  const symbolStart = Math.min(skipSpace(line, addressEnd), open - 1);
  if (symbolStart <= addressStart) return undefined;
  return {
    address: line.slice(addressStart, Math.min(addressEnd, symbolStart)),
    symbol: line.slice(symbolStart, open),
    module: line.slice(open + 2, close),
    text: line.slice(symbolStart, close),
  };
}

/** Where a stack line's `symbol (module)` text lies in its bytes. */
interface TextSpan {
  textStart: number;
  textEnd: number;
}

/**
 * `parseFrameLine` on a line's bytes: finds where its `symbol (module)` text
 * starts and ends, into `span` (one object reused for every line). Its
 * landmarks are all ASCII, which never occurs inside a multi-byte UTF-8
 * character, so the bytes are cut where the text is. The scans are loops
 * over the line rather than Buffer searches: a native call per landmark
 * costs more than the few bytes it passes over.
 */
function scanFrameLine(bytes: Buffer, start: number, end: number, span: TextSpan): boolean {
  let addressStart = start;
  while (addressStart < end && isSpace(bytes[addressStart])) addressStart++;
  let addressEnd = addressStart;
  while (addressEnd < end && isWordChar(bytes[addressEnd])) addressEnd++;
  if (addressEnd === addressStart) return false;
  let close = end - 1;
  while (close >= start && bytes[close] !== CLOSE_PAREN) close--;
  if (close < start + 2) return false;
  let open = close - 2;
  while (open >= start && !(bytes[open] === SPACE && bytes[open + 1] === OPEN_PAREN)) open--;
  if (open < start) return false;
  let afterAddress = addressEnd;
  while (afterAddress < end && isSpace(bytes[afterAddress])) afterAddress++;
  const textStart = Math.min(afterAddress, open - 1);
  if (textStart <= addressStart) return false;
  span.textStart = textStart;
  span.textEnd = close;
  return true;
}

function isIndented(bytes: Buffer, start: number, end: number): boolean {
  return start < end && isSpace(bytes[start]);
}

/** True when a field of the line ends in `:`, as a sample header's `event:` does. */
function mayHoldAnEvent(bytes: Buffer, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    if (bytes[at] === COLON && (at + 1 === end || isSpace(bytes[at + 1]))) return true;
  }
  return false;
}

/** perf (Linux 4.8+) prints `symbol+0x1a`; the offset would split one function into many frames. */
function stripSymbolOffset(symbol: string): string {
  const plus = symbol.lastIndexOf("+0x");
  if (plus === -1 || plus + 3 === symbol.length) return symbol;
  for (let i = plus + 3; i < symbol.length; i++) {
    if (!isLowerHexDigit(symbol.charCodeAt(i))) return symbol;
  }
  return symbol.slice(0, plus);
}

/** `outer->inner` names an inline chain; like perl's split, trailing empty parts are dropped. */
function splitInlineChain(symbol: string): string[] {
  if (!symbol.includes("->")) return [symbol];
  const parts = symbol.split("->");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** `[unknown]` becomes the module's file name when perf knows it, `[unknown]` otherwise. */
function unresolvedName(address: string, module: string, withAddress: boolean): string {
  const name = module === UNKNOWN ? "unknown" : module.slice(module.lastIndexOf("/") + 1);
  return withAddress ? `[${name} <${address}>]` : `[${name}]`;
}

/**
 * `;` would split the frame in folded output; argument lists are dropped
 * (except Go's `pkg.(*Type).Method` and C++'s `(anonymous namespace)`), and
 * so are quotes, which JS regexp frames are full of.
 */
function tidySymbol(name: string): string {
  if (name.includes(";")) name = name.replaceAll(";", ":");
  if (!looksLikeGoMethod(name)) name = dropArgumentList(name);
  return name.includes('"') || name.includes("'") ? name.replace(QUOTES, "") : name;
}

const QUOTES = /["']/g;

function looksLikeGoMethod(name: string): boolean {
  const open = name.indexOf(".(");
  return open !== -1 && name.lastIndexOf(").") >= open + 2;
}

function dropArgumentList(name: string): string {
  for (let open = name.indexOf("("); open !== -1; open = name.indexOf("(", open + 1)) {
    if (!name.startsWith("anonymous namespace)", open + 1)) return name.slice(0, open);
  }
  return name;
}

/** JVM type signatures start with `L` (`Ljava/lang/Thread;::run`). */
function stripJavaTypePrefix(name: string): string {
  return name.startsWith("L") && name.includes("/") ? name.slice(1) : name;
}

/** `[kernel.kallsyms]`, `[nf_conntrack_ipv4]` or a vmlinux path, but not `[unknown]`. */
function isKernelModule(module: string): boolean {
  return (module.startsWith("[") || module.endsWith("vmlinux")) && !module.includes("unknown");
}

const SLASH = 47;
const COLON = 58;
const SPACE = 32;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;

/** Whitespace as perl's `\s`: space, \t, \n, \v, \f, \r. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLowerHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 102);
}

function isWordChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isHex(text: string): boolean {
  return /^[0-9a-fA-F]+$/.test(text);
}

function skipSpace(line: string, at: number): number {
  while (at < line.length && isSpace(line.charCodeAt(at))) at++;
  return at;
}

function skipSpaceBackwards(line: string, at: number): number {
  while (at > 0 && isSpace(line.charCodeAt(at - 1))) at--;
  return at;
}

function skipDigits(line: string, at: number): number {
  while (at < line.length && isDigit(line.charCodeAt(at))) at++;
  return at;
}
