/**
 * Buffers that a large file is read into (and that gzip is inflated into),
 * used again once a reader is done with them. Memory a process touches for the first time costs a page fault
 * per 4 KiB: a fresh buffer per chunk made streaming a 55 MB file cost
 * 14,000 faults and most of the time of reading it, against about 300 when
 * the same buffer is read into again.
 *
 * Only a reader that says so hands a chunk back (`handBack`), after it has
 * copied whatever it keeps of the chunk's bytes; a chunk never handed back
 * stays the reader's, and the next read takes a new buffer.
 */
export class ReadBuffers {
  private readonly spare: Buffer<ArrayBuffer>[] = [];

  constructor(private readonly size: number) {}

  /** A buffer to read the next chunk into. */
  take(): Buffer<ArrayBuffer> {
    // Never from the shared pool: a buffer is known by its memory, which must be its own.
    const buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.size);
    lent.set(buffer.buffer, { buffer, owner: this.spare });
    return buffer;
  }
}

/** Buffers out with readers, by their memory, and the spares each goes back to. */
const lent = new WeakMap<ArrayBufferLike, { buffer: Buffer<ArrayBuffer>; owner: Buffer<ArrayBuffer>[] }>();

/** Says that nothing refers to `chunk`'s bytes any more: if it came from ReadBuffers, it is read into again. */
export function handBack(chunk: Uint8Array): void {
  const loan = lent.get(chunk.buffer);
  if (loan === undefined) return;
  lent.delete(chunk.buffer);
  loan.owner.push(loan.buffer);
}
