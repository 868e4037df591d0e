/**
 * valgrind callgrind output, made by callgrind on a small C program
 * (scripts/make-callgrind-fixtures.sh), against callgrind_annotate's reports of
 * the same files (checked in beside them): every function's self cost, the
 * program total, a second event, and inclusive costs where the call graph
 * fixes them (see addCallGraphStacks for why it does not fix them all).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";
import { parseFolded, stackDiff, type FoldedStack } from "./support/folded.js";

const dir = join(repoRoot, "test/fixtures/callgrind");
const fixture = (name: string) => join(dir, name);

interface Annotation {
  /** PROGRAM TOTALS: the file's `summary:` line, which may exceed its cost lines' sum. */
  total: number;
  /** Cost per function name, summed over the files callgrind_annotate lists it under (inlined code has its own line). */
  byFunction: Map<string, number>;
  /** The table's rows: function name (without file and object) and cost. */
  rows: Array<[string, number]>;
}

/** callgrind_annotate's report: `PROGRAM TOTALS` and the `file:function [object]` table. */
function annotation(name: string): Annotation {
  const lines = readFileSync(fixture(name), "utf8").split("\n");
  const row = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*?)(?: \[[^\]]*\])?$/;
  const value = (text: string) => Number(text.replaceAll(",", ""));
  const totalLine = lines.find((line) => line.endsWith("PROGRAM TOTALS"))!;
  const rows: Array<[string, number]> = [];
  for (const line of lines.slice(lines.findIndex((l) => l.includes("file:function")) + 2)) {
    const match = row.exec(line);
    if (match) rows.push([match[2].slice(match[2].indexOf(":") + 1), value(match[1])]);
  }
  const byFunction = new Map<string, number>();
  for (const [fn, cost] of rows) byFunction.set(fn, (byFunction.get(fn) ?? 0) + cost);
  return { total: value(row.exec(totalLine)![1]), byFunction, rows };
}

function torchStacks(args: string[]): FoldedStack[] {
  const run = runCli(["--folded", ...args]);
  assert.equal(run.status, 0, run.stderr);
  return parseFolded(run.stdout);
}

function selfByFunction(stacks: FoldedStack[]): Map<string, number> {
  const self = new Map<string, number>();
  for (const { frames, count } of stacks) self.set(frames.at(-1)!, (self.get(frames.at(-1)!) ?? 0) + count);
  return self;
}

/** Each function's cost counted once per stack it is on, as inclusive costs are. */
function inclusiveByFunction(stacks: FoldedStack[]): Map<string, number> {
  const inclusive = new Map<string, number>();
  for (const { frames, count } of stacks) for (const fn of new Set(frames)) inclusive.set(fn, (inclusive.get(fn) ?? 0) + count);
  return inclusive;
}

const nonZero = (costs: Map<string, number>) => new Map([...costs].filter(([, cost]) => cost !== 0));

for (const run of ["prog", "cache", "plain"]) {
  test(`${run}.callgrind: every function's self cost and the total are callgrind_annotate's`, () => {
    const oracle = annotation(`${run}.self.txt`);
    const stacks = torchStacks([fixture(`${run}.callgrind`)]);
    assert.deepEqual(stackDiff(nonZero(oracle.byFunction), selfByFunction(stacks)), []);
    assert.ok(oracle.byFunction.size > 50);
    // The whole is the file's `totals:` line (the sum of its cost lines), within callgrind_annotate's PROGRAM TOTALS.
    const total = stacks.reduce((sum, { count }) => sum + count, 0);
    const totals = /^totals: (\d+)/m.exec(readFileSync(fixture(`${run}.callgrind`), "utf8"))!;
    assert.equal(total, Number(totals[1]));
    assert.ok(total <= oracle.total && total > oracle.total * 0.9999);
  });
}

test("--sample-index picks another event: Dr of the cache-simulation run", () => {
  const oracle = annotation("cache.Dr.self.txt");
  for (const index of ["Dr", "1"]) {
    const stacks = torchStacks(["--sample-index", index, fixture("cache.callgrind")]);
    assert.deepEqual(stackDiff(nonZero(oracle.byFunction), selfByFunction(stacks)), []);
    assert.equal(stacks.reduce((sum, { count }) => sum + count, 0), oracle.total);
  }
});

test("stacks follow the calls: callees under their callers, recursion cut, inclusive costs where the graph fixes them", () => {
  const stacks = torchStacks([fixture("prog.callgrind")]);
  const total = stacks.reduce((sum, { count }) => sum + count, 0);
  const inclusive = inclusiveByFunction(stacks);
  // callgrind_annotate lists a called function once more under the caller's spelling of its
  // file (an absolute path): the same cost, so the largest entry is the function's.
  const oracle = new Map<string, number>();
  for (const [fn, cost] of annotation("prog.inclusive.txt").rows) oracle.set(fn, Math.max(oracle.get(fn) ?? 0, cost));
  // Functions whose callees are theirs alone: exact. leaf, called from helper, fib and fib'2, is all under them.
  for (const fn of ["compute", "helper", "fib", "leaf"]) assert.equal(inclusive.get(fn), oracle.get(fn), fn);
  // main and copy_around call libc and the dynamic linker, which others call too: their costs
  // are shared out by call cost, within a hundredth of a percent here.
  for (const fn of ["main", "copy_around"]) assert.ok(Math.abs(inclusive.get(fn)! - oracle.get(fn)!) < total * 1e-4, fn);
  const paths = new Set(stacks.map(({ frames }) => frames.join(";")));
  assert.ok([...paths].some((path) => path.endsWith("main;compute;fib;fib'2;leaf")), "fib'2 calls itself: cut to one frame");
  assert.ok([...paths].some((path) => path.endsWith("main;helper;leaf")));
  assert.ok([...paths].some((path) => path.endsWith("main;compute;helper;leaf")));
  assert.ok(![...paths].some((path) => path.includes("fib'2;fib'2")));
});

test("a file that is not callgrind output, and a broken one, are refused in one line", () => {
  const broken = runCli(["--folded", "-"], "# callgrind format\nevents: Ir\nfn=(1)\n");
  assert.equal(broken.status, 1);
  assert.equal(broken.stderr, "torch: <stdin>: line 3: name (1) is used before it is defined\n");
  const empty = runCli(["--folded", "-"], "# callgrind format\nevents: Ir\nfl=a.c\nfn=main\n");
  assert.equal(empty.stderr, "torch: <stdin>: callgrind profile holds no Ir costs\n");
});
