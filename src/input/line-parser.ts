import type { ProfileMeta } from "../model/profile.js";
import { LineSplitter } from "./line-splitter.js";
import { handBack } from "./read-buffers.js";

/**
 * A text reader fed one line at a time, so that large text inputs stream
 * through without ever being held as one string.
 */
export interface LineParser {
  /** One line, without its line terminator. */
  line(text: string): void;
  /**
   * The same line as `bytes[start..end)`, UTF-8, with `words`, a view that
   * reads the same bytes four at a time. A reader that has it is given
   * every line this way instead of through `line`, and can look names up
   * straight from the bytes (see ByteMap), making a string only for what it
   * has not seen: a large input then costs one pass over its bytes rather
   * than a string per line.
   */
  lineBytes?(bytes: Buffer, words: DataView, start: number, end: number): void;
  /**
   * Every line of the last chunk has been given: a parser that keeps a
   * reference into the bytes `lineBytes` gave it copies what it keeps now,
   * since the chunk's buffer is then read into again (see ReadBuffers).
   */
  chunkDone?(): void;
  /** End of input. Throws InputError when the input held no stacks. */
  end(): ProfileMeta;
}

/** Streams bytes into a line parser, one line at a time (see LineSplitter). */
export async function readLines(input: AsyncIterable<Uint8Array>, parser: LineParser, source: string): Promise<ProfileMeta> {
  const splitter = new LineSplitter(
    source,
    parser.lineBytes
      ? (bytes, words, start, end) => parser.lineBytes!(bytes, words, start, end)
      : (bytes, _words, start, end) => parser.line(bytes.toString("utf8", start, end)),
  );
  for await (const chunk of input) {
    splitter.push(chunk);
    parser.chunkDone?.();
    handBack(chunk);
  }
  splitter.end();
  return parser.end();
}
