/**
 * A map keyed by byte strings, looked up straight from a range of an input
 * buffer. Readers use it to find what they already know about a frame name
 * (or a whole stack) without first cutting the bytes into a JavaScript
 * string: a string is made only the first time a key is seen, so that a
 * large input costs one pass over its bytes, not one string per frame.
 *
 * Open addressing with linear probing; each key's bytes are copied into one
 * growing arena, so keys never pin the input chunks they came from.
 */
export class ByteMap<V> {
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private keyStart = new Int32Array(1024);
  private keyEnd = new Int32Array(1024);
  private keyHash = new Int32Array(1024);
  private readonly values: V[] = [];
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private slots = new Int32Array(2048);
  private mask = 2047;

  get size(): number {
    return this.values.length;
  }

  /** The value stored for `bytes[start..end)`, or undefined. */
  get(bytes: Uint8Array, start: number, end: number): V | undefined {
    const hash = hashBytes(bytes, start, end);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return undefined;
      if (this.keyHash[entry] === hash && this.keyEquals(entry, bytes, start, end)) return this.values[entry];
    }
  }

  /** Stores a value for a key that is not in the map yet (check with `get` first). */
  add(bytes: Uint8Array, start: number, end: number, value: V): void {
    const entry = this.values.length;
    if (entry === this.keyStart.length) this.growEntries();
    if ((entry + 1) * 2 > this.slots.length) this.growSlots();
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.keyStart[entry] = this.arenaUsed;
    this.keyEnd[entry] = this.arenaUsed + length;
    this.arenaUsed += length;
    const hash = hashBytes(bytes, start, end);
    this.keyHash[entry] = hash;
    this.values.push(value);
    this.place(entry, hash);
  }

  private keyEquals(entry: number, bytes: Uint8Array, start: number, end: number): boolean {
    const keyStart = this.keyStart[entry];
    if (this.keyEnd[entry] - keyStart !== end - start) return false;
    const arena = this.arena;
    for (let i = start, j = keyStart; i < end; i++, j++) {
      if (bytes[i] !== arena[j]) return false;
    }
    return true;
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

/** FNV-1a over the bytes: cheap, and spreads short names well. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash;
}
