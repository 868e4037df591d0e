import { StringDecoder } from "node:string_decoder";
import { formatBytes } from "../byte-size.js";
import { InputError } from "../model/profile.js";

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
 * Cuts a byte stream into lines: UTF-8 decoded, split on \n, \r\n tolerated.
 * Each byte is scanned once however long its line is: the unfinished end of
 * a chunk is kept as a list of pieces and joined once its line ends.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private pending: string[] = [];
  private pendingLength = 0;
  private lineNumber = 0;

  constructor(
    private readonly source: string,
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Uint8Array): void {
    const text = this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      this.emit(this.takePending(text.slice(start, nl)));
      start = nl + 1;
    }
    if (start < text.length) this.keep(text.slice(start));
  }

  /** End of input: the last line may lack its line break. */
  end(): void {
    this.keep(this.decoder.end());
    if (this.pendingLength > 0) this.emit(this.takePending(""));
  }

  private keep(piece: string): void {
    if (piece === "") return;
    this.pending.push(piece);
    this.pendingLength += piece.length;
    // UTF-16 units never outnumber UTF-8 bytes, so this never blames a line that fits.
    if (this.pendingLength > this.maxLineBytes) this.tooLong();
  }

  /** The line ending with `last`: the kept pieces joined, once. */
  private takePending(last: string): string {
    if (this.pending.length === 0) return last;
    this.pending.push(last);
    const line = this.pending.join("");
    this.pending = [];
    this.pendingLength = 0;
    return line;
  }

  private emit(line: string): void {
    this.lineNumber++;
    if (line.length > this.maxLineBytes) this.tooLong();
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }

  private tooLong(): never {
    throw new InputError(
      this.source,
      `line ${this.lineNumber + 1} is longer than ${formatBytes(this.maxLineBytes)}: not a text profile (no stack is that long)`,
    );
  }
}
