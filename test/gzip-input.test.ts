/** Gzipped inputs: the file's size on disk says little about what it unzips to. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { Random } from "../bench/prng.js";
import { repoRoot, runCli } from "./support/cli.js";
import { sortedFoldedLines } from "./support/folded.js";
import { scratchDir } from "./support/scratch.js";

const dir = scratchDir("gzip-input");

test("a gzipped file whose tree outgrows the room its compressed size foretells reads whole", () => {
  // Deep, distinct stacks of short names compress to far fewer bytes than the nodes they make.
  const lines: string[] = [];
  for (let stack = 0; stack < 2000; stack++) {
    const frames = Array.from({ length: 30 }, (_, depth) => `f${depth}_${stack}`);
    lines.push(`${frames.join(";")} ${stack + 1}`);
  }
  lines.sort();
  const path = join(dir, "deep.folded.gz");
  writeFileSync(path, gzipSync(lines.join("\n") + "\n", { level: 9 }));
  const run = runCli(["--folded", path]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, lines.join("\n") + "\n");
});

/** Folded stacks of random names (from a fixed seed), which compress about 2:1, as `stack -> count`. */
function randomStacks(count: number): Map<string, number> {
  const random = new Random(12345);
  const stacks = new Map<string, number>();
  while (stacks.size < count) {
    const frames = Array.from({ length: random.int(5, 14) }, () => `fn_${random.int(0, 2 ** 32 - 1).toString(16)}`);
    stacks.set(frames.join(";"), random.int(1, 1000));
  }
  return stacks;
}

function foldedBytes(stacks: ReadonlyMap<string, number>): Buffer {
  return Buffer.from([...stacks].map(([stack, count]) => `${stack} ${count}\n`).join(""));
}

test("a gzipped file reads as its unzipped text, by name (read in chunks) and through a pipe", () => {
  // Over 4 MiB compressed, so that the file is read in chunks, and
  // decompressed into hundreds of buffers, each filled again once read.
  const stacks = randomStacks(120_000);
  const gzipped = gzipSync(foldedBytes(stacks), { level: 1 });
  assert.ok(gzipped.length > 4 * 2 ** 20, `${gzipped.length} bytes`);
  const path = join(dir, "random.folded.gz");
  writeFileSync(path, gzipped);
  const expected = sortedFoldedLines(stacks).join("\n") + "\n";
  const byName = runCli(["--folded", path]);
  assert.equal(byName.stderr, "");
  assert.equal(byName.stdout, expected);
  assert.equal(runCli(["--folded", "-"], gzipped).stdout, expected);
});

test("gzip members back to back read as one input, and zero bytes after the last are padding, as gunzip reads them", () => {
  const first = randomStacks(3000);
  const second = new Map([...randomStacks(6000)].slice(3000));
  const path = join(dir, "members.folded.gz");
  writeFileSync(path, Buffer.concat([gzipSync(foldedBytes(first)), gzipSync(foldedBytes(second)), Buffer.alloc(512)]));
  const run = runCli(["--folded", path]);
  assert.equal(run.stderr, "");
  assert.equal(run.stdout, sortedFoldedLines(new Map([...first, ...second])).join("\n") + "\n");
});

test("corrupt gzip data is refused in one line: bytes after a member that are no gzip member, a wrong checksum", () => {
  const gzipped = gzipSync(foldedBytes(randomStacks(100)));
  const garbage = join(dir, "garbage.folded.gz");
  writeFileSync(garbage, Buffer.concat([gzipped, Buffer.from("not gzip\n")]));
  const wrongCheck = join(dir, "crc.folded.gz");
  const flipped = Buffer.from(gzipped);
  // The trailer is the CRC-32 of the data, then its length (RFC 1952).
  flipped[flipped.length - 8] ^= 0xff;
  writeFileSync(wrongCheck, flipped);
  for (const [path, problem] of [
    [garbage, "incorrect header check"],
    [wrongCheck, "incorrect data check"],
  ]) {
    const run = runCli(["--folded", path]);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr, `torch: ${path}: corrupt gzip data (${problem})\n`);
  }
});

test("readers that gather their input whole read it gzipped as unzipped: each decompressed buffer stays theirs", () => {
  for (const fixture of ["chrome-trace/page.trace.json", "speedscope/example-perf.speedscope.json"]) {
    const path = join(repoRoot, "test/fixtures", fixture);
    const plain = runCli(["--folded", path]);
    assert.equal(plain.status, 0, plain.stderr);
    const gzipped = gzipSync(readFileSync(path));
    const copy = join(dir, `${basename(fixture)}.gz`);
    writeFileSync(copy, gzipped);
    assert.equal(runCli(["--folded", copy]).stdout, plain.stdout, fixture);
    assert.equal(runCli(["--folded", "-"], gzipped).stdout, plain.stdout, fixture);
  }
});
