/**
 * Large files are read into buffers that line readers hand back and that are
 * then read into again (src/input/read-buffers.ts). What a reader keeps of a
 * chunk must therefore be copied before it hands the chunk back: these tests
 * read files larger than the whole-read limit, with stacks that share long
 * prefixes across chunk boundaries and lines longer than a chunk, and check
 * the result against the stacks written.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, createWriteStream, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readProfile, type InputSource } from "torch-flamegraph";
import { foldedLines, handBack, ReadBuffers } from "#internals";
import { Random } from "../bench/prng.js";
import { cliPath, runCli, runCliAsync } from "./support/cli.js";
import { sortedFoldedLines } from "./support/folded.js";
import { scratchDir } from "./support/scratch.js";

test("a buffer handed back is read into again; other memory is left alone", () => {
  const buffers = new ReadBuffers(1024);
  const first = buffers.take();
  const second = buffers.take();
  assert.notEqual(first.buffer, second.buffer);
  handBack(first.subarray(10, 20));
  assert.equal(buffers.take(), first);
  handBack(Buffer.alloc(1024));
  assert.notEqual(buffers.take().buffer, first.buffer);
});

test("a folded file read in reused chunks gives exactly the stacks written, by name and from standard input", () => {
  const random = new Random(21);
  const names = Array.from({ length: 300 }, (_, i) => `namespace::Type${i % 17}::method_${i}`);
  const sums = new Map<string, number>();
  // Deep stacks that share most of their frames with the stack before: the reader compares each with the previous one.
  let stack: string[] = [];
  while (sums.size < 8000) {
    stack = stack.slice(0, random.int(0, stack.length));
    while (stack.length < 40) stack.push(random.pick(names));
    const key = stack.join(";");
    sums.set(key, (sums.get(key) ?? 0) + random.int(1, 5));
  }
  // Two lines longer than a 256 KiB chunk.
  for (const frames of [20000, 30000]) sums.set(Array.from({ length: frames }, (_, i) => names[i % names.length]).join(";"), 1);
  const lines = [...sums].map(([key, count]) => `${key} ${count}`);
  const text = `${lines.sort().join("\n")}\n`;
  assert.ok(text.length > 8 * 2 ** 20, `${text.length} bytes, read in chunks`);
  const file = join(scratchDir("read-buffers"), "large.folded");
  writeFileSync(file, text);

  const result = runCli(["--folded", file]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.split("\n").slice(0, -1), sortedFoldedLines(sums));

  // The same file redirected to standard input (`torch < file`) is read the same way.
  const input = openSync(file, "r");
  try {
    const redirected = spawnSync(process.execPath, [cliPath, "--folded"], { stdio: [input, "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
    assert.equal(redirected.status, 0, redirected.stderr);
    assert.equal(redirected.stdout, result.stdout);
  } finally {
    closeSync(input);
  }
});

/** A source that reads every chunk into the same buffer, as soon as the next one is asked for. */
function oneBuffer(bytes: Uint8Array, size: number): InputSource {
  return {
    name: "one-buffer",
    async *chunks() {
      const buffer = Buffer.alloc(size);
      for (let at = 0; at < bytes.length; at += size) {
        const length = Buffer.from(bytes.subarray(at, at + size)).copy(buffer);
        yield buffer.subarray(0, length);
      }
    },
  };
}

test("the folded reader keeps nothing of a chunk once it is done with it", async () => {
  // 64-byte lines, 1,024 to a chunk, whose first frame changes with the
  // chunk: where the last line of a chunk was, the next chunk has a line that
  // shares that frame with the next line, which the real previous line does not.
  const lineBytes = 64;
  const chunkBytes = 1024 * lineBytes;
  const random = new Random(22);
  const lines: string[] = [];
  for (let chunk = 0; chunk < 8; chunk++) {
    for (let i = 0; i < chunkBytes / lineBytes; i++) {
      const stack = `c${chunk};m${random.int(0, 9)};n${random.int(0, 99)};`;
      lines.push(`${stack.padEnd(lineBytes - 3, "x")} 1`);
    }
  }
  const text = lines.map((line) => `${line}\n`).join("");
  assert.equal(text.length, 8 * chunkBytes);
  const sums = new Map<string, number>();
  for (const line of lines) sums.set(line.slice(0, -2), (sums.get(line.slice(0, -2)) ?? 0) + 1);
  const profile = await readProfile(oneBuffer(Buffer.from(text), chunkBytes));
  assert.deepEqual(foldedLines(profile.tree), sortedFoldedLines(sums));
});

test("a named pipe (as from `torch <(perf script)`) is read in the pieces it delivers", async () => {
  const lines = Array.from({ length: 40000 }, (_, i) => `main;work_${i % 13};leaf_${i} ${1 + (i % 3)}`);
  const text = `${lines.join("\n")}\n`;
  const dir = scratchDir("pipe");
  const pipe = join(dir, "perf.folded");
  assert.equal(spawnSync("mkfifo", [pipe]).status, 0);
  const run = runCliAsync(["--folded", pipe]);
  createWriteStream(pipe).end(text);
  const result = await run;
  assert.equal(result.code, 0, result.stderr);
  writeFileSync(join(dir, "same.folded"), text);
  assert.equal(result.stdout, runCli(["--folded", join(dir, "same.folded")]).stdout);
  assert.equal(result.stdout.split("\n").length - 1, lines.length);
});
