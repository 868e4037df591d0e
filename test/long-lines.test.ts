/**
 * Text inputs with very long lines (issue 13): splitting must take time in
 * proportion to the bytes, however the stream cuts a line into chunks, and a
 * line longer than any stack is a one-line error, not an ever-growing string.
 * Before the fix, the 4 MB line below (in 512-byte chunks) took minutes: each
 * chunk rescanned the whole carried text.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError, type InputSource, readProfile } from "torch-flamegraph";
import { foldedLines, LineSplitter, MAX_LINE_BYTES } from "#internals";

/** A hang guard for a test that finishes in about a second: not a speed threshold. */
const HANG_GUARD = { timeout: 120_000 };

/** A source that delivers `bytes` in pieces of `size`, as a slow pipe would. */
function inPieces(bytes: Uint8Array, size: number): InputSource {
  return {
    name: "pieces",
    async *chunks() {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    },
  };
}

test("a 4 MB folded line arriving in 512-byte chunks is read whole and exactly", HANG_GUARD, async () => {
  const frames: string[] = [];
  for (let length = 0; length < 4_000_000; length += 8) frames.push(`fn_${frames.length % 7}é`);
  const stack = frames.join(";");
  // CRLF endings, and a second line so that the long one is not merely the last.
  const input = Buffer.from(`${stack} 3\r\nshort;stack 2\r\n`);
  const profile = await readProfile(inPieces(input, 512));
  assert.deepEqual(foldedLines(profile.tree), [`${stack} 3`, "short;stack 2"]);
});

test("lines are cut the same way whatever the chunking, multi-byte characters and CRLF included", () => {
  const text = "α;β 1\r\n\r\nγ 2\nlast 3";
  const expected = ["α;β 1", "", "γ 2", "last 3"];
  const bytes = Buffer.from(text);
  for (let size = 1; size <= bytes.length; size++) {
    const lines: string[] = [];
    const splitter = new LineSplitter("test", (bytes, words, start, end) => {
      // The view given along reads the same bytes.
      for (let at = start; at < end; at++) assert.equal(words.getUint8(at), bytes[at]);
      lines.push(bytes.toString("utf8", start, end));
    });
    for (let at = 0; at < bytes.length; at += size) splitter.push(bytes.subarray(at, at + size));
    splitter.end();
    assert.deepEqual(lines, expected, `chunks of ${size} bytes`);
  }
});

test("a line longer than the limit is a one-line error naming the line and the limit, read no further", HANG_GUARD, async () => {
  const mib = Buffer.alloc(2 ** 20, "a");
  let chunksRead = 0;
  const endless: InputSource = {
    name: "one-line",
    async *chunks() {
      yield Buffer.from("main;work 1\n");
      // Bounded, so that a splitter without a limit fails the test instead of hanging it.
      for (let i = 0; i < (3 * MAX_LINE_BYTES) / mib.length; i++, chunksRead++) yield mib;
    },
  };
  await assert.rejects(readProfile(endless), (error: Error) => {
    assert.ok(error instanceof InputError, String(error));
    assert.equal(error.message, "line 2 is longer than 64 MiB: not a text profile (no stack is that long)");
    return true;
  });
  assert.ok(chunksRead <= MAX_LINE_BYTES / mib.length + 1, `stopped after ${chunksRead} MiB`);
});
