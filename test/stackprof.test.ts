/**
 * Ruby stackprof JSON, written by Debian's ruby-stackprof from
 * test/fixtures/stackprof/workload.rb, checked against stackprof's own
 * reports of the same dump (--stackcollapse for the stacks, --text for each
 * frame's samples and total), saved beside it by scripts/make-stackprof-fixtures.sh.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { foldedMap, parseFolded } from "./support/folded.js";
import { repoRoot, runCli } from "./support/cli.js";

const dir = join(repoRoot, "test/fixtures/stackprof");

function torch(args: string[], input?: string): string {
  const run = runCli(args, input);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** `stackprof --stackcollapse`: one line per raw sample run; the same stack may come back later. */
function stackcollapse(mode: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { frames, count } of parseFolded(readFileSync(join(dir, `${mode}.stackcollapse`), "utf8"))) {
    const stack = frames.join(";");
    sums.set(stack, (sums.get(stack) ?? 0) + count);
  }
  return sums;
}

/** `stackprof --text` rows: name -> [total, samples]; names listed twice (two `<main>` frames) are left out. */
function textReport(mode: string): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  const seen = new Set<string>();
  for (const match of readFileSync(join(dir, `${mode}.text`), "utf8").matchAll(/^ +(\d+) +\([\d.]+%\) +(\d+) +\([\d.]+%\) +(.+)$/gm)) {
    if (seen.has(match[3])) rows.delete(match[3]);
    else rows.set(match[3], [Number(match[1]), Number(match[2])]);
    seen.add(match[3]);
  }
  return rows;
}

/** torch --top: name -> [cum, flat]. */
function topReport(file: string): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  for (const match of torch(["--top", "1000", file]).matchAll(/^ *([\d,]+) +[\d.]+% +[\d.]+% +([\d,]+) +[\d.]+% {2}(.+)$/gm)) {
    rows.set(match[3], [Number(match[2].replaceAll(",", "")), Number(match[1].replaceAll(",", ""))]);
  }
  return rows;
}

for (const mode of ["cpu", "object"]) {
  test(`stackprof ${mode} mode: the stacks of stackprof --stackcollapse, the frame totals of stackprof --text`, () => {
    const file = join(dir, `${mode}.json`);
    assert.deepEqual(foldedMap(torch(["--folded", file])), stackcollapse(mode));
    const expected = textReport(mode);
    assert.ok(expected.size > 5);
    const ours = topReport(file);
    for (const [name, totals] of expected) assert.deepEqual(ours.get(name), totals, name);
  });
}

test("a profile recorded without raw samples is refused in one line that says how to record it", () => {
  const profile = JSON.parse(readFileSync(join(dir, "cpu.json"), "utf8")) as Record<string, unknown>;
  delete profile.raw;
  const run = runCli(["--folded", "-"], JSON.stringify(profile));
  assert.equal(run.status, 1);
  assert.match(run.stderr, /without raw samples: record it with StackProf\.run\(raw: true\)\n$/);
  const broken = runCli(["--folded", "-"], '{"mode":"cpu","missed_samples":0,"frames":{"1":{"name":"a"}},"raw":[2,1,9,3]}');
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /raw\[2\] is frame 9, which frames does not name\n$/);
});
