import { closeSync, openSync, writeSync } from "node:fs";

const FLUSH_AT = 1 << 20;

/** Writes a large text file in 1 MB pieces, so that no generator holds a whole input in memory. */
export class TextFile {
  private readonly fd: number;
  private pending = "";
  private written = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  /** Closes the file; returns its size in bytes. */
  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.written;
  }

  private flush(): void {
    this.written += writeSync(this.fd, this.pending);
    this.pending = "";
  }
}
