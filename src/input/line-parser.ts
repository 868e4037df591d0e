import { StringDecoder } from "node:string_decoder";
import type { ProfileMeta } from "../model/profile.js";

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

/** Streams bytes into a line parser: UTF-8 decoded, split on \n, \r\n tolerated. */
export async function readLines(input: AsyncIterable<Uint8Array>, parser: LineParser): Promise<ProfileMeta> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  for await (const chunk of input) {
    const text = carry + decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      parser.line(text.slice(start, end));
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry !== "") parser.line(carry.endsWith("\r") ? carry.slice(0, -1) : carry);
  return parser.end();
}
