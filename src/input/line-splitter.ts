import { formatBytes } from "../byte-size.js";
import { InputError } from "../model/profile.js";
import { wordsOf } from "./byte-map.js";

/**
 * The longest line a text profile may have. Real lines are far shorter: a
 * folded stack 100,000 frames deep with 200-character Java names is 20 MB.
 * Like Go's bufio.Scanner (which go tool pprof reads text with) and curl's
 * header limit, a bound turns a file without line breaks into a clear error
 * instead of an ever-growing string, and keeps the string well below V8's
 * largest (about 512 M characters).
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Cuts a byte stream into lines, split on \n, \r\n tolerated, and hands each
 * on as a range of bytes, with a DataView of them (see `wordsOf`). UTF-8 is
 * left to the reader: \n and \r never occur inside a multi-byte character.
 * Each byte is scanned once however long its line is: the unfinished end of
 * a chunk is kept as a list of pieces and joined once its line ends.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private lineNumber = 0;

  constructor(
    private readonly source: string,
    private readonly onLine: (bytes: Buffer, words: DataView, start: number, end: number) => void,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const words = wordsOf(bytes);
    let start = 0;
    for (let nl = bytes.indexOf(NEWLINE); nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
      if (this.pending.length === 0) {
        this.emit(bytes, words, start, nl);
      } else {
        this.keep(bytes.subarray(start, nl));
        this.emitPending();
      }
      start = nl + 1;
    }
    if (start < bytes.length) this.keep(bytes.subarray(start));
  }

  /** End of input: the last line may lack its line break. */
  end(): void {
    if (this.pendingLength > 0) this.emitPending();
  }

  /** Keeps a copy of a line's start: the chunk it is in may be read over once pushed (see ReadBuffers). */
  private keep(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pending.push(Buffer.from(piece));
    this.pendingLength += piece.length;
    if (this.pendingLength > this.maxLineBytes) this.tooLong();
  }

  /** The kept pieces joined, once, as a line. */
  private emitPending(): void {
    const line = Buffer.concat(this.pending, this.pendingLength);
    this.pending = [];
    this.pendingLength = 0;
    this.emit(line, wordsOf(line), 0, line.length);
  }

  private emit(bytes: Buffer, words: DataView, start: number, end: number): void {
    this.lineNumber++;
    if (end - start > this.maxLineBytes) this.tooLong();
    this.onLine(bytes, words, start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end);
  }

  private tooLong(): never {
    throw new InputError(
      this.source,
      `line ${this.lineNumber + 1} is longer than ${formatBytes(this.maxLineBytes)}: not a text profile (no stack is that long)`,
    );
  }
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
