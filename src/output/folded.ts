import { copyBytes } from "../copy-bytes.js";
import { compareNameKeys, KEY_END } from "../model/key-order.js";
import type { StackTree } from "../model/stack-tree.js";
import type { Value } from "../model/value.js";

/**
 * The collapsed ("folded") form of a tree: one `root;...;leaf count` line per
 * distinct stack with a non-zero value, sorted by code unit as
 * stackcollapse-*.pl sort their output. A two-channel (differential) tree
 * writes flamegraph.pl's `stack before after` form.
 */
export function foldedLines(tree: StackTree): string[] {
  const text = foldedText(tree);
  return text === "" ? [] : text.slice(0, -1).split("\n");
}

/** `foldedLines` as one text, each line ending with a line break. */
export function foldedText(tree: StackTree): string {
  let text = "";
  for (const chunk of foldedChunks(tree)) text += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString("utf8");
  return text;
}

/**
 * The folded form as UTF-8, in chunks of about CHUNK_BYTES, each ending
 * with a whole line. Nothing but the chunk being filled and the current
 * stack is held: no line, and no stack of the profile, becomes a string.
 * Each chunk is the same buffer, filled again once the next chunk is asked
 * for: write or copy a chunk before that. A new buffer per chunk was
 * garbage that piled up outside V8's heap until a GC came round, 54 MB of
 * it for 18 MB of output.
 *
 * The order comes from a walk of the tree, with no stack compared whole.
 * Below a node, a child's lines are its own line (its stack, a prefix of all
 * its other lines, so first) and its deeper lines, which all start with
 * `name;`: with no `;` inside names, no other line falls between two of
 * those. So sorting the children's parts by `name` and `name;` orders the
 * lines exactly, including where one name is a prefix of another (`foo`,
 * `foo.cold`, `foo;...`). Trees where that does not hold (a name with a `;`,
 * or a flame chart's repeated siblings) sort whole stacks instead.
 */
export function* foldedChunks(tree: StackTree): Generator<Uint8Array> {
  const writer = new FoldedWriter(tree);
  if (tree.mergeMode === "adjacent" || tree.names.some((name) => name.includes(";"))) {
    for (const node of leavesSortedByStack(tree)) {
      writer.startStack(node);
      writer.line(node);
      if (writer.full) yield writer.take();
    }
  } else {
    // Per level of the walk: the parts of one node's children in order, and how far along they are.
    const levels: Array<{ parts: number[]; next: number }> = [{ parts: childParts(tree, tree.root), next: 0 }];
    while (levels.length > 0) {
      const level = levels[levels.length - 1];
      if (level.next === level.parts.length) {
        levels.pop();
        writer.leave();
        continue;
      }
      const part = level.parts[level.next++];
      const node = nodeOfPart(part);
      writer.enter(node);
      if (isDeeperPart(part)) {
        levels.push({ parts: childParts(tree, node), next: 0 });
        continue;
      }
      writer.line(node);
      writer.leave();
      if (writer.full) yield writer.take();
    }
  }
  if (!writer.empty) yield writer.take();
}

/** Bytes out: the current stack, kept as bytes, and the chunk its lines are copied into. */
class FoldedWriter {
  /** Every frame name as UTF-8, one after another, name id `i` at `nameStarts[i]..nameStarts[i + 1]`: copied, not encoded, per line. */
  private readonly names: Buffer;
  private readonly nameStarts: Int32Array;
  private readonly counts: (node: number) => string;
  private stack: Buffer = Buffer.allocUnsafe(4096);
  private stackLength = 0;
  /** Where the stack ended before each frame entered. */
  private readonly frameStarts: number[] = [];
  /** Room for a chunk and one more line, so that the line that fills a chunk rarely needs a larger buffer. */
  private chunk: Buffer = Buffer.allocUnsafe(2 * CHUNK_BYTES);
  private used = 0;

  constructor(private readonly tree: StackTree) {
    this.nameStarts = new Int32Array(tree.names.length + 1);
    tree.names.forEach((name, id) => (this.nameStarts[id + 1] = this.nameStarts[id] + Buffer.byteLength(name)));
    this.names = Buffer.allocUnsafe(this.nameStarts[tree.names.length]);
    tree.names.forEach((name, id) => this.names.write(name, this.nameStarts[id]));
    this.counts =
      tree.channels === 2
        ? (node) => `${formatCount(tree.exactSelf(node, 1))} ${formatCount(tree.exactSelf(node, 0))}`
        : (node) => formatCount(tree.exactSelf(node));
  }

  get full(): boolean {
    return this.used >= CHUNK_BYTES;
  }

  get empty(): boolean {
    return this.used === 0;
  }

  /** Appends a frame (below the root) to the current stack. */
  enter(node: number): void {
    this.frameStarts.push(this.stackLength);
    const id = this.tree.nameIdOf(node);
    const start = this.nameStarts[id];
    const end = this.nameStarts[id + 1];
    this.stack = room(this.stack, this.stackLength, end - start + 1);
    let at = this.stackLength;
    if (this.frameStarts.length > 1) this.stack[at++] = SEMICOLON;
    this.stackLength = copyBytes(this.names, start, end, this.stack, at);
  }

  /** Takes the last frame off the current stack; at the root, nothing. */
  leave(): void {
    this.stackLength = this.frameStarts.pop() ?? 0;
  }

  /** Makes `node`'s stack the current one. */
  startStack(node: number): void {
    this.frameStarts.length = 0;
    this.stackLength = 0;
    const frames: number[] = [];
    for (let n = node; n !== this.tree.root; n = this.tree.parent(n)) frames.push(n);
    for (let i = frames.length - 1; i >= 0; i--) this.enter(frames[i]);
  }

  /** Writes the current stack's line, with `node`'s counts. */
  line(node: number): void {
    const counts = this.counts(node);
    // Counts are ASCII: a number, a bigint, or two of them.
    const length = this.stackLength + 1 + counts.length + 1;
    this.chunk = room(this.chunk, this.used, length);
    this.used += this.stack.copy(this.chunk, this.used, 0, this.stackLength);
    this.chunk[this.used++] = SPACE;
    this.used += this.chunk.write(counts, this.used, "latin1");
    this.chunk[this.used++] = NEWLINE;
  }

  /** The lines written since the last take, in the writer's buffer: valid until the next line is written. */
  take(): Uint8Array {
    const taken = this.chunk.subarray(0, this.used);
    this.used = 0;
    return taken;
  }
}

/** Output is written in chunks of about this size: a write per line would cost a system call each. */
const CHUNK_BYTES = 256 * 1024;

/** `buffer`, or a larger copy of its first `used` bytes, with room for `more` bytes after them. */
function room(buffer: Buffer, used: number, more: number): Buffer {
  if (used + more <= buffer.length) return buffer;
  const larger = Buffer.allocUnsafe(Math.max(2 * buffer.length, used + more));
  buffer.copy(larger, 0, 0, used);
  return larger;
}

/**
 * The parts of a node's children, each a number: `2 * child` for the
 * child's own line, `2 * child + 1` for the lines below it; in the order of
 * their lines.
 */
function childParts(tree: StackTree, node: number): number[] {
  const parts: number[] = [];
  for (let child = tree.firstChild(node); child !== -1; child = tree.nextSibling(child)) {
    if (tree.hasSelf(child)) parts.push(2 * child);
    if (tree.firstChild(child) !== -1) parts.push(2 * child + 1);
  }
  if (parts.length > 1) parts.sort((a, b) => compareNameKeys(tree.nameOfNode(nodeOfPart(a)), keyEndOf(a), tree.nameOfNode(nodeOfPart(b)), keyEndOf(b)));
  return parts;
}

function nodeOfPart(part: number): number {
  return Math.floor(part / 2);
}

function isDeeperPart(part: number): boolean {
  return part % 2 === 1;
}

/** What follows the name in the part's lines: `;` for the deeper ones, nothing for the child's own (its stack ends). */
function keyEndOf(part: number): number {
  return isDeeperPart(part) ? SEMICOLON : KEY_END;
}

const NEWLINE = 10;
const SPACE = 32;
const SEMICOLON = 59;

/** The nodes with a line, by their stacks built as strings and sorted: the general case. */
function leavesSortedByStack(tree: StackTree): number[] {
  const entries: Array<{ stack: string; node: number }> = [];
  for (const node of tree.leaves()) {
    if (node !== tree.root) entries.push({ stack: tree.stackOf(node).join(";"), node });
  }
  entries.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
  return entries.map((entry) => entry.node);
}

/** Integers print without a fraction or exponent; fractional values keep what they need. */
function formatCount(value: Value): string {
  return typeof value === "number" && Number.isInteger(value) ? value.toFixed(0) : String(value);
}
