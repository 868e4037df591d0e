/** The arena's first size, and the least a caller's reservation gets. */
const FIRST_ARENA_BYTES = 1 << 16;

/**
 * A map keyed by byte strings, looked up straight from a range of an input
 * buffer. Readers use it to find what they already know about a frame name
 * (or a whole stack) without first cutting the bytes into a JavaScript
 * string: a string is made only the first time a key is seen, so that a
 * large input costs one pass over its bytes, not one string per frame.
 *
 * Open addressing with linear probing; each key's bytes are copied into one
 * growing arena, so keys never pin the input chunks they came from. Keys
 * are hashed and compared four bytes at a time (a whole perf stack line is
 * a key, 40 bytes or more), read through a DataView of the same bytes that
 * the caller gives along (see `wordsOf`).
 */
export class ByteMap<V> {
  private arena: Uint8Array;
  private arenaWords: DataView;
  private arenaUsed = 0;
  private keyStart = new Int32Array(1024);
  private keyEnd = new Int32Array(1024);
  private keyHash = new Int32Array(1024);
  private readonly values: V[] = [];
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private slots = new Int32Array(2048);
  private mask = 2047;

  /**
   * @param keyBytes room for the keys' bytes, for a caller that can bound
   *   them: the arena otherwise grows by copies, which stay resident until
   *   a full collection (4 MB of them for the 300k-sample bench profile's
   *   stacks). Room no key takes is never written, so it costs address
   *   space, not memory.
   */
  constructor(keyBytes = FIRST_ARENA_BYTES) {
    this.arena = new Uint8Array(Math.max(keyBytes, FIRST_ARENA_BYTES));
    this.arenaWords = wordsOf(this.arena);
  }

  get size(): number {
    return this.values.length;
  }

  /** The value stored for `bytes[start..end)` (`words` reads the same bytes), or undefined. */
  get(bytes: Uint8Array, words: DataView, start: number, end: number): V | undefined {
    const hash = hashBytes(bytes, words, start, end);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return undefined;
      if (this.keyHash[entry] === hash && this.keyEquals(entry, bytes, words, start, end)) return this.values[entry];
    }
  }

  /** Stores a value for a key that is not in the map yet (check with `get` first). */
  add(bytes: Uint8Array, words: DataView, start: number, end: number, value: V): void {
    const entry = this.values.length;
    if (entry === this.keyStart.length) this.growEntries();
    if ((entry + 1) * 2 > this.slots.length) this.growSlots();
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
      this.arenaWords = wordsOf(arena);
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.keyStart[entry] = this.arenaUsed;
    this.keyEnd[entry] = this.arenaUsed + length;
    this.arenaUsed += length;
    const hash = hashBytes(bytes, words, start, end);
    this.keyHash[entry] = hash;
    this.values.push(value);
    this.place(entry, hash);
  }

  private keyEquals(entry: number, bytes: Uint8Array, words: DataView, start: number, end: number): boolean {
    const keyStart = this.keyStart[entry];
    const length = end - start;
    if (this.keyEnd[entry] - keyStart !== length) return false;
    return commonPrefixLength(bytes, words, start, this.arena, this.arenaWords, keyStart, length) === length;
  }

  private place(entry: number, hash: number): void {
    let slot = hash & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry + 1;
  }

  private growEntries(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.keyStart = grow(this.keyStart);
    this.keyEnd = grow(this.keyEnd);
    this.keyHash = grow(this.keyHash);
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let entry = 0; entry < this.values.length; entry++) this.place(entry, this.keyHash[entry]);
  }
}

/**
 * A view that reads `bytes` four at a time (`getInt32`), at any offset. Made
 * once per input chunk by whoever holds the chunk, and dropped with it: a
 * view kept longer would keep its chunk alive.
 */
export function wordsOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * How many bytes `a` from `aStart` and `b` from `bStart` have in common, up
 * to `limit`: compared four at a time through their views (see `wordsOf`),
 * then one by one.
 */
export function commonPrefixLength(a: Uint8Array, aWords: DataView, aStart: number, b: Uint8Array, bWords: DataView, bStart: number, limit: number): number {
  let common = 0;
  while (common + 4 <= limit && aWords.getInt32(aStart + common) === bWords.getInt32(bStart + common)) common += 4;
  while (common < limit && a[aStart + common] === b[bStart + common]) common++;
  return common;
}

/**
 * A multiplicative hash over the bytes, four at a time; each step folds the
 * product's high bits back into the low bits that pick a slot.
 */
function hashBytes(bytes: Uint8Array, words: DataView, start: number, end: number): number {
  let hash = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    hash = Math.imul(hash ^ words.getInt32(i, true), 0x9e3779b1);
    hash ^= hash >>> 15;
  }
  for (; i < end; i++) {
    hash = Math.imul(hash ^ bytes[i], 0x9e3779b1);
    hash ^= hash >>> 15;
  }
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}
