/**
 * Reading speedscope's own file format: a file written by speedscope itself
 * (its Export button, from a folded file whose sums are the truth), and a
 * hand-made file with a sampled and an evented profile whose totals are
 * worked out by hand below.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { foldedMap, parseFolded } from "./support/folded.js";
import { corpusDir, repoRoot, runCli } from "./support/cli.js";

const dir = join(repoRoot, "test/fixtures/speedscope");

function folded(args: string[], input?: string): Map<string, number> {
  const run = runCli(["--folded", ...args], input);
  assert.equal(run.status, 0, run.stderr);
  return foldedMap(run.stdout);
}

function failure(input: string): string {
  const run = runCli(["--folded", "-"], input);
  assert.equal(run.status, 1, run.stdout);
  return run.stderr;
}

test("a file exported by speedscope 1.25.0 holds the stacks and sums of the folded file it opened", () => {
  const expected = new Map<string, number>();
  for (const { frames, count } of parseFolded(readFileSync(join(corpusDir, "flamegraph-folded/folded/example-perf.folded"), "utf8"))) {
    const stack = frames.join(";");
    expected.set(stack, (expected.get(stack) ?? 0) + count);
  }
  const ours = folded([join(dir, "example-perf.speedscope.json")]);
  assert.equal(ours.size, expected.size);
  assert.deepEqual(ours, expected);
});

test("several profiles: each under a root frame named after it, in its unit", () => {
  const file = join(dir, "threads.speedscope.json");
  // MainThread (sampled): main;work 5+3, main 2, idle 4. worker (evented, from 100):
  // main open 100-110 and 130-135, work 110-130, idle 138-140; 135-138 nothing is open.
  assert.deepEqual(
    folded([file]),
    new Map([
      ["MainThread;idle", 4],
      ["MainThread;main (app.py:1)", 2],
      ["MainThread;main (app.py:1);work (app.py:10)", 8],
      ["worker;idle", 2],
      ["worker;main (app.py:1)", 15],
      ["worker;main (app.py:1);work (app.py:10)", 20],
    ]),
  );
  const svg = runCli([file]);
  assert.equal(svg.status, 0, svg.stderr);
  assert.match(svg.stdout, /<title>all \(51.0 ms, 100%\)<\/title>/);
});

test("--sample-index picks one profile by index or by name", () => {
  const file = join(dir, "threads.speedscope.json");
  const worker = new Map([
    ["idle", 2],
    ["main (app.py:1)", 15],
    ["main (app.py:1);work (app.py:10)", 20],
  ]);
  assert.deepEqual(folded(["--sample-index", "worker", file]), worker);
  assert.deepEqual(folded(["--sample-index", "1", file]), worker);
  const run = runCli(["--folded", "--sample-index", "gc", file]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /no profile "gc"; this file has: 0 \(MainThread\), 1 \(worker\)\n$/);
});

test("torch --speedscope output reads back to the same stacks", () => {
  const input = join(repoRoot, "samples/goprog/cpu.pprof");
  const written = runCli(["--speedscope=-", input]);
  assert.equal(written.status, 0, written.stderr);
  assert.deepEqual(folded(["-"], written.stdout), folded([input]));
});

const HEAD = '{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"a"},{"name":"b"}]},"profiles":';

test("broken files end in one line that says what is wrong", () => {
  const evented = (events: string) => `${HEAD}[{"type":"evented","name":"p","unit":"none","startValue":0,"endValue":9,"events":[${events}]}]}`;
  assert.match(failure(evented('{"type":"O","frame":0,"at":0},{"type":"C","frame":1,"at":1}')), /event 1 closes frame 1 while frame 0 is open\n$/);
  assert.match(failure(evented('{"type":"O","frame":0,"at":0}')), /ends with 1 frame\(s\) still open\n$/);
  assert.match(failure(evented('{"type":"O","frame":0,"at":5},{"type":"C","frame":0,"at":4}')), /event 1 at 4 comes after one at 5\n$/);
  assert.match(failure(evented('{"type":"O","frame":7,"at":0}')), /frame index 7 is not one of the 2 shared frames\n$/);
  const sampled = `${HEAD}[{"type":"sampled","name":"p","unit":"none","startValue":0,"endValue":1,"samples":[[0],[1]],"weights":[1]}]}`;
  assert.match(failure(sampled), /sampled profile has 2 samples but 1 weights\n$/);
  const units = `${HEAD}[{"type":"sampled","name":"a","unit":"bytes","samples":[[0]],"weights":[1]},{"type":"sampled","name":"b","unit":"seconds","samples":[[1]],"weights":[1]}]}`;
  assert.match(failure(units), /different units \(bytes, seconds\); pick one with --sample-index\n$/);
  assert.match(failure(`${HEAD}[]}`), /holds no profiles\n$/);
  assert.match(failure(`${HEAD}[{"type":"sampled"`), /truncated JSON/);
});
