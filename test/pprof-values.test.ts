/**
 * pprof files whose values cannot make a graph (issue 13), judged as go tool
 * pprof judges them: samples with more or fewer values than sample types are
 * malformed (pprof refuses them, so torch exits 1), while negative values
 * are valid (pprof -diff_base writes them) but cannot be drawn, so torch
 * warns instead of drawing an empty or partial graph without a word.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";
import { writeTwoFramePprof } from "./support/two-frame-pprof.js";

const dir = scratchDir("pprof-values");

/** A two-frame profile (main -> work, then main) with these sample types (unit count) and per-sample values. */
function profileFile(name: string, sampleTypes: string[], values: number[][]): string {
  return writeTwoFramePprof(join(dir, name), sampleTypes.map((type) => [type, "count"]), values);
}

/** go tool pprof's verdict on a file: its -raw output, or its error. */
function pprofReads(path: string): { ok: boolean; output: string } {
  const run = spawnSync("go", ["tool", "pprof", "-raw", path], { encoding: "utf8" });
  assert.notEqual(run.error?.message.includes("ENOENT"), true, "Go is required: apt-get install -y golang-go");
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}

for (const [name, values, expected] of [
  ["fewer values than sample types", [[5], [3]], "malformed profile: sample 1 has 1 value for 2 sample types"],
  ["more values than sample types", [[5, 1, 2], [3, 1, 2]], "malformed profile: sample 1 has 3 values for 2 sample types"],
] as const) {
  test(`a sample with ${name} is malformed, as go tool pprof says, and exits 1`, () => {
    const path = profileFile(`${name}.pb`, ["samples", "cpu"], values.map((v) => [...v]));
    const oracle = pprofReads(path);
    assert.equal(oracle.ok, false);
    assert.match(oracle.output, /malformed profile: mismatch: sample has \d values vs\. 2 types/);
    const run = runCli([path]);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `torch: ${path}: ${expected}\n`);
  });
}

test("negative values that add up to a negative total: pprof reads them, torch warns that the graph is empty", () => {
  const path = profileFile("negative.pb", ["samples"], [[-5], [2]]);
  const oracle = pprofReads(path);
  assert.equal(oracle.ok, true, oracle.output);
  assert.match(oracle.output, /^\s+-5: 1 2 $/m);
  const run = runCli([path]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(
    run.stderr,
    `torch: ${path}: warning: 1 sample has a negative value, as pprof -diff_base writes them: they add up to -3, so the graph is empty (torch diff draws comparisons)\n`,
  );
  assert.equal(runCli(["--folded", path]).stdout, "main 2\nmain;work -5\n", "--folded keeps the values as they are");
});

test("some negative values among positive ones: torch draws the positive ones and says so", () => {
  const path = profileFile("mixed.pb", ["samples"], [[-5], [7]]);
  assert.equal(pprofReads(path).ok, true);
  const run = runCli([path]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /warning: 1 sample has a negative value, as pprof -diff_base writes them: frames are drawn from the positive values only/);
  assert.match(run.stdout, /<title>main \(2 samples, 100.00%\)<\/title>/);
});
