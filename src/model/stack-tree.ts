/**
 * The one data model shared by every stage: a trie of call stacks (root first)
 * whose nodes carry interned frame-name ids and a self value per channel.
 *
 * Readers add stacks; layout and the folded writer walk the trie. Nodes live in
 * growable typed arrays rather than objects so that millions of frames fit in a
 * default Node heap, and every walk is iterative so that 100,000-frame-deep
 * stacks cannot overflow the call stack.
 *
 * Channel 0 is the value that is drawn. A differential tree has a second
 * channel: channel 0 is "after" (drawn), channel 1 is "before".
 */

import type { Value } from "./value.js";

/** Above this many children a node gets a name -> child map instead of a list scan. */
const INDEXED_FANOUT = 12;
const ROOT = 0;
/** "No such node" in the child and sibling links (see below). */
const NONE = ROOT;

export type MergeMode = "merge" | "adjacent";

/** The children of a node with many of them: by name id, and the last one. */
interface ChildIndex {
  byName: Map<number, number>;
  last: number;
}

export class StackTree {
  /** Interned frame names; a node refers to its name by index. */
  readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();

  private capacity = 1024;
  private size = 1;
  // The links below use 0, the root, for "none": the root is nobody's child
  // or sibling. So new capacity needs no filling, and stays untouched, and
  // out of the resident memory, until nodes are added.
  private nameOf = new Int32Array(this.capacity);
  private parentOf = new Int32Array(this.capacity);
  private firstChildOf = new Int32Array(this.capacity);
  private nextSiblingOf = new Int32Array(this.capacity);
  /** Merging adjacent only (empty otherwise): each node's last child, the one a new stack may merge with. */
  private lastChildOf: Int32Array;
  private selfOf: Float64Array[];
  /**
   * Exact self values per channel, kept only once the values added could sum
   * past 2^53 (or one arrived as a bigint) and all of them are integers: then
   * doubles would drop digits that --folded, titles and --top print. The
   * doubles stay, for layout, which needs no more precision than a pixel.
   */
  private exactSelfOf: bigint[][] | undefined;
  /** The sum of every |value| added: while it stays below 2^53, every self and total is exact as a double. */
  private magnitude = 0;
  private integral = true;
  /** Merging only: the children of the nodes with many of them, by name id, and the last of them (where a new one goes). */
  private readonly childIndexes: ChildIndex[] = [];
  /**
   * Merging only (empty otherwise): per node, 1 + its index in childIndexes,
   * or 0. A typed-array slot is reached far faster than a map keyed by node.
   */
  private childIndexOf: Int32Array;

  /**
   * @param channels 1 for an ordinary profile, 2 for a differential one.
   * @param mergeMode "merge" folds identical stacks anywhere (a flame graph);
   *   "adjacent" only merges with the most recent sibling, keeping time order
   *   (a flame chart).
   */
  constructor(
    readonly channels: 1 | 2 = 1,
    readonly mergeMode: MergeMode = "merge",
  ) {
    this.selfOf = Array.from({ length: channels }, () => new Float64Array(this.capacity));
    // Each merge mode needs one of these two, so a node costs 4 bytes less.
    this.lastChildOf = new Int32Array(mergeMode === "adjacent" ? this.capacity : 0);
    this.childIndexOf = new Int32Array(mergeMode === "merge" ? this.capacity : 0);
    this.nameOf[ROOT] = -1;
    this.parentOf[ROOT] = -1;
  }

  get nodeCount(): number {
    return this.size;
  }

  intern(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      const kept = detached(name);
      this.names.push(kept);
      this.nameIds.set(kept, id);
    }
    return id;
  }

  /** Adds `value` to a node's own value, for readers that walk the tree with `child`. */
  addSelf(node: number, value: Value, channel = 0): void {
    if (typeof value === "number") {
      this.magnitude += Math.abs(value);
      if (!Number.isInteger(value)) this.integral = false;
      if (this.exactSelfOf === undefined && this.magnitude > Number.MAX_SAFE_INTEGER) this.keepExactValues();
    } else {
      this.keepExactValues();
    }
    if (this.exactSelfOf !== undefined) {
      if (this.integral) this.exactSelfOf[channel][node] = (this.exactSelfOf[channel][node] ?? 0n) + BigInt(value);
      else this.exactSelfOf = undefined;
    }
    this.selfOf[channel][node] += Number(value);
  }

  private keepExactValues(): void {
    if (this.exactSelfOf !== undefined || !this.integral) return;
    this.exactSelfOf = this.selfOf.map((self) => {
      const exact: bigint[] = [];
      for (let node = 0; node < this.size; node++) if (self[node] !== 0) exact[node] = BigInt(self[node]);
      return exact;
    });
  }

  /** Adds `value` to the stack given as frame names, root first. */
  add(frames: readonly string[], value: Value, channel = 0): void {
    let node = ROOT;
    for (const frame of frames) node = this.child(node, this.intern(frame));
    this.addSelf(node, value, channel);
  }

  /** Adds `value` to the stack given as interned ids, leaf first; returns the stack's leaf node. */
  addIdsLeafFirst(ids: ArrayLike<number>, value: Value, channel = 0): number {
    let node = ROOT;
    for (let i = ids.length - 1; i >= 0; i--) node = this.child(node, ids[i]);
    this.addSelf(node, value, channel);
    return node;
  }

  /** The root node: the synthetic "all" frame. */
  get root(): number {
    return ROOT;
  }

  nameIdOf(node: number): number {
    return this.nameOf[node];
  }

  nameOfNode(node: number): string {
    return node === ROOT ? "all" : this.names[this.nameOf[node]];
  }

  parent(node: number): number {
    return this.parentOf[node];
  }

  self(node: number, channel = 0): number {
    return this.selfOf[channel][node];
  }

  /** Children in insertion order. */
  children(node: number): number[] {
    const out: number[] = [];
    for (let c = this.firstChildOf[node]; c !== NONE; c = this.nextSiblingOf[c]) out.push(c);
    return out;
  }

  /** True when values print exactly only as bigints: `exactSelf` and `exactTotals` then give bigints. */
  get hasExactValues(): boolean {
    return this.exactSelfOf !== undefined;
  }

  /** A node's own value to print: a bigint when doubles would drop digits. */
  exactSelf(node: number, channel = 0): Value {
    return this.exactSelfOf === undefined ? this.selfOf[channel][node] : (this.exactSelfOf[channel][node] ?? 0n);
  }

  /** The first child in insertion order, or -1: with `nextSibling`, a walk over children that allocates nothing. */
  firstChild(node: number): number {
    return this.firstChildOf[node] || -1;
  }

  /** The next child of the same parent in insertion order, or -1. */
  nextSibling(node: number): number {
    return this.nextSiblingOf[node] || -1;
  }

  /**
   * Inclusive totals (self plus all descendants) for one channel, indexed by
   * node. Children are always created after their parent, so one backwards
   * pass suffices.
   */
  totals(channel = 0): Float64Array {
    const total = this.selfOf[channel].slice(0, this.size);
    for (let node = this.size - 1; node > ROOT; node--) total[this.parentOf[node]] += total[node];
    return total;
  }

  /** The sum of every node's own value: the root's total (up to rounding) without an array of totals, for checks. */
  selfSum(channel = 0): number {
    const self = this.selfOf[channel];
    let sum = 0;
    for (let node = 0; node < this.size; node++) sum += self[node];
    return sum;
  }

  /** `totals` to print: bigints when doubles would drop digits. */
  exactTotals(channel = 0): ArrayLike<Value> {
    if (this.exactSelfOf === undefined) return this.totals(channel);
    const self = this.exactSelfOf[channel];
    const total = Array.from({ length: this.size }, (_, node) => self[node] ?? 0n);
    for (let node = this.size - 1; node > ROOT; node--) total[this.parentOf[node]] += total[node];
    return total;
  }

  /** Root-first frame names of a node's stack (excluding the root). */
  stackOf(node: number): string[] {
    const frames: string[] = [];
    for (let n = node; n !== ROOT; n = this.parentOf[n]) frames.push(this.names[this.nameOf[n]]);
    return frames.reverse();
  }

  /** Every node with a non-zero self value in any channel, in creation order. */
  *leaves(): Generator<number> {
    for (let node = 0; node < this.size; node++) if (this.hasSelf(node)) yield node;
  }

  /** True when the node has its own value in some channel: a stack ends there (it has a folded line). */
  hasSelf(node: number): boolean {
    for (let channel = 0; channel < this.channels; channel++) if (this.selfOf[channel][node] !== 0) return true;
    return false;
  }

  /** The child of `parent` with this name, created when missing (or, merging adjacent only, unless it is the last child). */
  child(parent: number, nameId: number): number {
    if (this.mergeMode === "adjacent") {
      const last = this.lastChildOf[parent];
      if (last !== NONE && this.nameOf[last] === nameId) return last;
      const created = this.newChild(parent, nameId, last);
      this.lastChildOf[parent] = created;
      return created;
    }
    const indexSlot = this.childIndexOf[parent];
    if (indexSlot !== NONE) {
      const index = this.childIndexes[indexSlot - 1];
      const found = index.byName.get(nameId);
      if (found !== undefined) return found;
      const created = this.newChild(parent, nameId, index.last);
      index.byName.set(nameId, created);
      index.last = created;
      return created;
    }
    let siblings = 0;
    let last = NONE;
    for (let c = this.firstChildOf[parent]; c !== NONE; c = this.nextSiblingOf[c], siblings++) {
      if (this.nameOf[c] === nameId) return c;
      last = c;
    }
    const created = this.newChild(parent, nameId, last);
    if (siblings >= INDEXED_FANOUT) this.indexChildren(parent, created);
    return created;
  }

  private indexChildren(parent: number, last: number): void {
    const byName = new Map<number, number>();
    for (let c = this.firstChildOf[parent]; c !== NONE; c = this.nextSiblingOf[c]) byName.set(this.nameOf[c], c);
    this.childIndexes.push({ byName, last });
    this.childIndexOf[parent] = this.childIndexes.length;
  }

  /** A new node under `parent`, after its current last child `last` (NONE when it has none). */
  private newChild(parent: number, nameId: number, last: number): number {
    if (this.size === this.capacity) this.grow();
    const node = this.size++;
    this.nameOf[node] = nameId;
    this.parentOf[node] = parent;
    if (last === NONE) this.firstChildOf[parent] = node;
    else this.nextSiblingOf[last] = node;
    return node;
  }

  /**
   * Makes room for `nodes` nodes at once, for a caller that can estimate
   * them: growing by doubling copies every array each time. Room no node
   * takes is never written, so it costs address space, not memory.
   */
  reserve(nodes: number): void {
    // Capacity must stay whole: `size === capacity` is what triggers growth.
    const capacity = Math.floor(nodes);
    if (capacity > this.capacity) this.grow(capacity);
  }

  private grow(capacity = this.capacity * 2): void {
    const grown = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (length: number) => T)(capacity);
      b.set(a);
      return b;
    };
    this.nameOf = grown(this.nameOf);
    this.parentOf = grown(this.parentOf);
    this.firstChildOf = grown(this.firstChildOf);
    this.nextSiblingOf = grown(this.nextSiblingOf);
    if (this.mergeMode === "adjacent") this.lastChildOf = grown(this.lastChildOf);
    else this.childIndexOf = grown(this.childIndexOf);
    this.selfOf = this.selfOf.map(grown);
    this.capacity = capacity;
  }
}

/**
 * A copy of a string that shares no memory with the text it was cut from.
 * V8 substrings keep their whole parent string alive, so a name kept for the
 * whole run would otherwise pin the input chunk it came from and, with new
 * names appearing throughout a large file, in the end the whole file.
 * `intern` applies it to every new name; readers use it for other strings
 * they keep.
 */
export function detached(text: string): string {
  return (" " + text).slice(1);
}
