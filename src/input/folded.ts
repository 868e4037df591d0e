import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { parseCount, type Value } from "../model/value.js";
import { ByteMap, commonPrefixLength, wordsOf } from "./byte-map.js";
import { readLines, type LineParser } from "./line-parser.js";
import type { ProfileReader } from "./reader.js";

/** Folded stacks: what any text that no other reader claims is read as. */
export const foldedReader: ProfileReader = {
  name: "folded",
  detect: (head) => !head.binary,
  read: (input, { source, tree }) => readLines(input, createFoldedParser(tree, source), source),
};

/** flamegraph.pl's differential input: the first stack line carries two counts. */
export const foldedDiffReader: ProfileReader = {
  name: "folded-diff",
  channels: 2,
  detect: (head) => {
    const firstStack = head.lines.find((l) => l.trim() !== "");
    return firstStack !== undefined && hasTwoCounts(firstStack);
  },
  read: (input, { source, tree }) => readLines(input, createFoldedParser(tree, source, { diff: true }), source),
};

const COUNT = /^\d+(?:\.\d*)?$/;
/** How many of the lines without a count a warning names. */
const SHOWN_LINES = 5;

/**
 * Splits `stack count` at the whitespace before the last field, as flamegraph.pl does:
 * frames may contain spaces, the count is the last field. Returns undefined
 * when the line has no numeric last field.
 */
export function splitCount(line: string): { stack: string; count: Value } | undefined {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && !isSpace(line.charCodeAt(start - 1))) start--;
  if (start === 0) return undefined;
  const field = line.slice(start, end);
  if (!COUNT.test(field)) return undefined;
  // Only one separator: further whitespace belongs to the last frame (a frame may be " ").
  return { stack: line.slice(0, start - 1), count: parseCount(field) };
}

const SEMICOLON = 59;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/** True when a folded line carries two counts (`stack before after`, flamegraph.pl's differential input). */
export function hasTwoCounts(line: string): boolean {
  const last = splitCount(line);
  return last !== undefined && splitCount(last.stack) !== undefined;
}

/**
 * Folded stacks (`root;caller;leaf 42` per line). With `diff`, lines are
 * `stack before after`: channel 0 (drawn) gets `after`, channel 1 `before`.
 * Blank and malformed lines are skipped and reported as a warning.
 */
export function createFoldedParser(tree: StackTree, source: string, options: { diff?: boolean } = {}): LineParser {
  let lineNumber = 0;
  let stacks = 0;
  let blank = 0;
  // Only the first few lines without a count are named, so only they are kept:
  // a hostile input may have millions.
  let malformed = 0;
  const firstMalformed: number[] = [];
  // Folded files are sorted, so a stack mostly repeats the one before it:
  // only the frames after those the two share are cut into names and looked
  // up, from their bytes, and decoded only the first time they are seen.
  // These hold where the previous stack is (in the input chunk, until the
  // chunk is done: see chunkDone) and, per frame, its node and its end.
  const nameIds = new ByteMap<number>();
  let previousBytes: Buffer = Buffer.alloc(0);
  let previousWords = wordsOf(previousBytes);
  let previousStart = 0;
  // Overwritten in place up to `previousFrames`: cutting an array's length and pushing again reallocates it.
  const previousNodes: number[] = [];
  const previousEnds: number[] = [];
  let previousFrames = 0;

  /**
   * How many leading frames the stack shares with the previous one: their
   * common prefix, cut back to the last frame boundary both have. The
   * prefix is most of every line, so it is compared four bytes at a time
   * (commonPrefixLength); a loop costs less than a native comparison per
   * probe of a binary search.
   */
  function sharedFrames(bytes: Buffer, words: DataView, start: number, length: number): number {
    const frames = previousFrames;
    const limit = frames === 0 ? 0 : Math.min(length, previousEnds[frames - 1]);
    const common = commonPrefixLength(bytes, words, start, previousBytes, previousWords, previousStart, limit);
    // The previous stack's frames that end inside the common part end at a `;` of this one too.
    let shared = 0;
    while (shared < frames && previousEnds[shared] < common) shared++;
    if (shared < frames && previousEnds[shared] === common && (common === length || bytes[start + common] === SEMICOLON)) shared++;
    return shared;
  }

  /** Adds the stack `bytes[start..end)` (`a;b;c`, its frames as `split(";")` cuts them). */
  function addStack(bytes: Buffer, words: DataView, start: number, end: number, value: Value, channel = 0): void {
    const length = end - start;
    const shared = sharedFrames(bytes, words, start, length);
    previousFrames = shared;
    let node = shared === 0 ? tree.root : previousNodes[shared - 1];
    for (let at = shared === 0 ? 0 : previousEnds[shared - 1] + 1; at <= length; ) {
      let frameEnd = at;
      while (frameEnd < length && bytes[start + frameEnd] !== SEMICOLON) frameEnd++;
      let id = nameIds.get(bytes, words, start + at, start + frameEnd);
      if (id === undefined) {
        id = tree.intern(bytes.toString("utf8", start + at, start + frameEnd));
        nameIds.add(bytes, words, start + at, start + frameEnd, id);
      }
      node = tree.child(node, id);
      previousNodes[previousFrames] = node;
      previousEnds[previousFrames] = frameEnd;
      previousFrames++;
      at = frameEnd + 1;
    }
    tree.addSelf(node, value, channel);
    previousBytes = bytes;
    previousWords = words;
    previousStart = start;
  }

  const parser: LineParser = {
    line(text: string): void {
      lineNumber++;
      if (text.trim() === "") {
        blank++;
        return;
      }
      const last = splitCount(text);
      const first = options.diff && last ? splitCount(last.stack) : last;
      if (!last || !first) {
        if (malformed++ < SHOWN_LINES) firstMalformed.push(lineNumber);
        return;
      }
      stacks++;
      const stack = Buffer.from(first.stack);
      const words = wordsOf(stack);
      addStack(stack, words, 0, stack.length, last.count, 0);
      if (options.diff) addStack(stack, words, 0, stack.length, first.count, 1);
    },
    /** The previous stack may lie in the chunk about to be read over: it is kept as a copy. */
    chunkDone(): void {
      const length = previousFrames === 0 ? 0 : previousEnds[previousFrames - 1];
      previousBytes = Buffer.from(previousBytes.subarray(previousStart, previousStart + length));
      previousWords = wordsOf(previousBytes);
      previousStart = 0;
    },
    end(): ProfileMeta {
      if (stacks === 0) {
        if (lineNumber === 0 || blank === lineNumber) throw new InputError(source, "empty input");
        const expected = options.diff ? "'stack before after'" : "'stack count'";
        throw new InputError(source, `not a recognised profile: no ${expected} lines (line ${firstMalformed[0]} has no count)`);
      }
      const warnings: string[] = [];
      if (malformed > 0) {
        const shown = firstMalformed.join(", ") + (malformed > SHOWN_LINES ? ", ..." : "");
        warnings.push(`skipped ${malformed} line(s) without a count (line ${shown})`);
      }
      if (blank > 0) warnings.push(`skipped ${blank} blank line(s)`);
      return { sampleType: "samples", unit: "samples", warnings };
    },
  };
  if (options.diff) return parser;
  return {
    ...parser,
    /** A `stack count` line after the first; any other line (blank, malformed, the first) goes through `line`. */
    lineBytes(bytes: Buffer, words: DataView, start: number, end: number): void {
      const fieldEnd = trimmedEnd(bytes, start, end);
      const fieldStart = stacks === 0 ? -1 : countFieldStart(bytes, start, fieldEnd);
      if (fieldStart === -1) return parser.line(bytes.toString("utf8", start, end));
      lineNumber++;
      stacks++;
      addStack(bytes, words, start, fieldStart - 1, countValue(bytes, fieldStart, fieldEnd));
    },
  };
}

/** Where `bytes[start..end)` ends without its trailing white space. */
function trimmedEnd(bytes: Buffer, start: number, end: number): number {
  while (end > start && isSpace(bytes[end - 1])) end--;
  return end;
}

/**
 * `splitCount` on a line's bytes (`fieldEnd` being where trailing white
 * space starts): where the count starts, the stack ending one byte before;
 * -1 when the line has no count. Positions rather than an object: one per
 * line was most of what reading allocated.
 */
function countFieldStart(bytes: Buffer, start: number, fieldEnd: number): number {
  let fieldStart = fieldEnd;
  while (fieldStart > start && !isSpace(bytes[fieldStart - 1])) fieldStart--;
  return fieldStart === start || !isCount(bytes, fieldStart, fieldEnd) ? -1 : fieldStart;
}

/**
 * A count field's value. Counts of up to 15 digits, nearly all of them, are
 * summed as their digits are read: exact, as they are below 2^53, and
 * without a string per line. Longer and decimal counts go through parseCount.
 */
function countValue(bytes: Buffer, start: number, end: number): Value {
  if (end - start > 15) return parseCount(bytes.toString("latin1", start, end));
  let value = 0;
  for (let at = start; at < end; at++) {
    if (!isDigit(bytes[at])) return parseCount(bytes.toString("latin1", start, end));
    value = value * 10 + (bytes[at] - ZERO);
  }
  return value;
}

/** COUNT on bytes: digits, optionally a point and more digits. */
function isCount(bytes: Buffer, start: number, end: number): boolean {
  let at = start;
  while (at < end && isDigit(bytes[at])) at++;
  if (at === start) return false;
  if (at < end && bytes[at] === POINT) {
    at++;
    while (at < end && isDigit(bytes[at])) at++;
  }
  return at === end;
}

const POINT = 46;
const ZERO = 48;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
