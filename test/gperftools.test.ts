/**
 * gperftools' binary CPU profile and heap profile (test/fixtures/gperftools,
 * written by libprofiler/libtcmalloc for a small C program), checked against
 * `go tool pprof -raw` on the same files. Without the program's binary both
 * show frames as addresses.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";
import { go } from "./support/go-pprof.js";
import { parsePprofRaw } from "./support/pprof-raw.js";

const dir = join(repoRoot, "test/fixtures/gperftools");

function torchStacks(file: string, sampleIndex: string): Map<string, number> {
  const run = runCli(["--folded", "--sample-index", sampleIndex, join(dir, file)]);
  assert.equal(run.status, 0, run.stderr);
  return new Map(run.stdout.trimEnd().split("\n").map((line) => [line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1))]));
}

for (const file of ["cpu.prof", "heap.heap"]) {
  test(`gperftools ${file}: detected, every sample type as go tool pprof -raw reads it`, () => {
    const oracle = parsePprofRaw(go(["tool", "pprof", "-raw", join(dir, file)]));
    assert.ok(oracle.sampleTypes.length >= 2);
    for (const { name } of oracle.sampleTypes) assert.deepEqual(torchStacks(file, name), oracle.stacks.get(name), name);
    const byDefault = runCli(["--folded", join(dir, file)]);
    assert.equal(byDefault.stdout, runCli(["--folded", "--sample-index", oracle.defaultSampleType!, join(dir, file)]).stdout);
  });
}

test("a truncated gperftools CPU profile is one clear error", () => {
  const run = runCli(["--folded", "-"], Buffer.from(new BigUint64Array([0n, 3n, 0n, 4000n, 0n, 5n, 2n, 0x401000n]).buffer));
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^torch: <stdin>: truncated gperftools CPU profile\n$/);
});
