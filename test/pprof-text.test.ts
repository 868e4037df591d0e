/**
 * Legacy pprof text profiles: Go's debug=1 heap, allocs, goroutine, mutex,
 * block and threadcreate profiles (test/fixtures/go-text, written by a real Go
 * program), checked against `go tool pprof -raw` on the same files.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";
import { go } from "./support/go-pprof.js";
import { parsePprofRaw } from "./support/pprof-raw.js";

const dir = join(repoRoot, "test/fixtures/go-text");

/**
 * The frame names Go's `#` lines give each address (several for inlined
 * calls), leaf first. pprof reads only the addresses; without the binary it
 * shows them bare, so the test names them from the file's own text.
 */
function namesByAddress(text: string): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const sample of text.split("\n\n")) {
    const inSample = new Map<string, string[]>();
    for (const match of sample.matchAll(/^#\t(0x[0-9a-f]+)\t([^\t+]+)/gm)) {
      inSample.set(match[1], [...(inSample.get(match[1]) ?? []), match[2]]);
    }
    for (const [address, frames] of inSample) if (!names.has(address)) names.set(address, frames);
  }
  return names;
}

/** pprof's stacks with each address replaced by its names; addresses Go left unnamed (runtime internals) are dropped. */
function pprofStacks(file: string): { types: string[]; stacks: Map<string, Map<string, number>> } {
  const names = namesByAddress(readFileSync(join(dir, file), "utf8"));
  const raw = parsePprofRaw(go(["tool", "pprof", "-raw", join(dir, file)]));
  const stacks = new Map<string, Map<string, number>>();
  for (const [type, byStack] of raw.stacks) {
    const renamed = new Map<string, number>();
    for (const [stack, value] of byStack) {
      const frames = stack.split(";").flatMap((address) => [...(names.get(address) ?? [])].reverse());
      const key = frames.join(";");
      renamed.set(key, (renamed.get(key) ?? 0) + value);
    }
    stacks.set(type, renamed);
  }
  assert.equal(raw.defaultSampleType, raw.sampleTypes.at(-1)?.name);
  return { types: raw.sampleTypes.map((t) => t.name), stacks };
}

function torchStacks(file: string, sampleIndex?: string): Map<string, number> {
  const run = runCli(["--folded", ...(sampleIndex ? ["--sample-index", sampleIndex] : []), join(dir, file)]);
  assert.equal(run.status, 0, run.stderr);
  return new Map(run.stdout.trimEnd().split("\n").map((line) => [line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1))]));
}

for (const file of ["heap.txt", "allocs.txt", "mutex.txt", "block.txt", "goroutine.txt"]) {
  test(`Go debug=1 ${file}: every sample type as go tool pprof -raw reads it`, () => {
    const oracle = pprofStacks(file);
    assert.ok(oracle.types.length >= 1);
    for (const type of oracle.types) assert.deepEqual(torchStacks(file, type), oracle.stacks.get(type), type);
    assert.deepEqual(torchStacks(file), oracle.stacks.get(oracle.types.at(-1)!), "default: the last type, as pprof");
  });
}

test("Go debug=1 threadcreate: the total in the header, on stacks Go did not record", () => {
  // Go prints `N @` with no addresses; go tool pprof refuses such a file.
  const text = readFileSync(join(dir, "threadcreate.txt"), "utf8");
  const total = Number(/^threadcreate profile: total (\d+)/.exec(text)![1]);
  const run = runCli([join(dir, "threadcreate.txt")]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`<title>all \\(${total} threads`));
});

test("a heap profile's title says which sample type and unit it shows", () => {
  const run = runCli(["--sample-index", "alloc_objects", join(dir, "heap.txt")]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /objects/);
  const bad = runCli(["--sample-index", "cpu", join(dir, "heap.txt")]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no sample type "cpu"; this profile has: alloc_objects, alloc_space, inuse_objects, inuse_space/);
});
