/**
 * Text profiles saved on Windows often start with a byte-order mark, and
 * PowerShell's `>` writes UTF-16. Readers take UTF-8 without a BOM, so a
 * UTF-8 BOM is dropped and UTF-16 (either byte order, told by its BOM) is
 * re-encoded as UTF-8 as it streams. Other bytes pass through untouched.
 */
export async function* withoutByteOrderMark(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  // The longest mark is three bytes; a tiny first chunk may hold fewer.
  let start: Uint8Array = new Uint8Array(0);
  while (start.length < 3) {
    const next = await iterator.next();
    if (next.done) break;
    start = start.length === 0 ? next.value : Buffer.concat([start, next.value]);
  }
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  const encoding = utf16Encoding(start);
  if (encoding) {
    const decoder = new TextDecoder(encoding);
    const encode = (text: string) => Buffer.from(text, "utf8");
    yield encode(decoder.decode(start, { stream: true }));
    for await (const chunk of rest) yield encode(decoder.decode(chunk, { stream: true }));
    const end = decoder.decode();
    if (end !== "") yield encode(end);
    return;
  }
  yield hasUtf8Mark(start) ? start.subarray(3) : start;
  yield* rest;
}

function hasUtf8Mark(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function utf16Encoding(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}
