import type { ProfileMeta } from "../model/profile.js";
import { LineSplitter } from "./line-splitter.js";

/**
 * A text reader fed one line at a time, so that large text inputs stream
 * through without ever being held as one string.
 */
export interface LineParser {
  /** One line, without its line terminator. */
  line(text: string): void;
  /** End of input. Throws InputError when the input held no stacks. */
  end(): ProfileMeta;
}

/** Streams bytes into a line parser, one line at a time (see LineSplitter). */
export async function readLines(input: AsyncIterable<Uint8Array>, parser: LineParser, source: string): Promise<ProfileMeta> {
  const splitter = new LineSplitter(source, (line) => parser.line(line));
  for await (const chunk of input) splitter.push(chunk);
  splitter.end();
  return parser.end();
}
