/**
 * Differential flame graphs: the combined stacks against difffolded.pl's
 * output and go tool pprof -diff_base, the drawing against flamegraph.pl's
 * frame tables and against deltas worked out by hand.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { scratchDir } from "./support/scratch.js";
import { runCli, corpusDir } from "./support/cli.js";
import { goPprofRaw, goSamplesDir } from "./support/go-pprof.js";
import { parsePprofRaw } from "./support/pprof-raw.js";
import { stackDiff } from "./support/folded.js";
import { readGoldenTable, withoutBefore } from "./support/golden-frames.js";
import { findAll, frameName, parseSvg, type ParsedSvg, type SvgFrame } from "./support/svg.js";

const foldedDir = join(corpusDir, "flamegraph-folded", "folded");
/** The inputs of funcab-diff.folded2, as the corpus README names them. */
const funcabBefore = join(corpusDir, "flamegraph-perf", "results", "perf-funcab-cmd-01-collapsed-all.txt");
const funcabAfter = join(corpusDir, "flamegraph-perf", "results", "perf-funcab-pid-01-collapsed-all.txt");

const scratch = scratchDir("diff");
function folded(name: string, lines: string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

function svgOf(args: string[]): ParsedSvg {
  const run = runCli(args);
  assert.equal(run.status, 0, run.stderr);
  return parseSvg(run.stdout);
}

function subtitleOf(svg: ParsedSvg): string {
  return findAll(svg.root, (e) => e.getAttribute("id") === "subtitle")[0]?.textContent ?? "";
}

/** Frame name -> [title, fill], for graphs whose names are unique. */
function titlesAndFills(svg: ParsedSvg): Map<string, [string, string]> {
  return new Map(svg.frames.map((frame) => [frameName(frame.title), [frame.title, frame.fill]]));
}

test("diff --folded writes difffolded.pl's `stack before after` lines", () => {
  const run = runCli(["diff", "--folded", funcabBefore, funcabAfter]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, readFileSync(join(foldedDir, "funcab-diff.folded2"), "utf8"));
});

test("--normalize scales before to after's total and truncates as difffolded.pl -n", () => {
  // 81 * 228 / 169 = 109.27 and 88 * 228 / 169 = 118.72: truncated, not rounded, to 109 and 118.
  const run = runCli(["diff", "--folded", "--normalize", funcabBefore, funcabAfter]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, readFileSync(join(foldedDir, "funcab-diff-normalized.folded2"), "utf8"));
});

for (const { table, flags } of [
  { table: "funcab-diff", flags: [] },
  { table: "funcab-diff-negate", flags: ["--negate"] },
]) {
  test(`torch diff draws flamegraph.pl's frames: ${table}`, () => {
    const svg = svgOf(["diff", ...flags, funcabBefore, funcabAfter]);
    assert.equal(svg.title, "Differential Flame Graph");
    assert.equal(subtitleOf(svg), `before: ${funcabBefore}, after: ${funcabAfter}`);
    const expected = readGoldenTable(table).frames;
    // x is compared too: both tools order siblings by name, so nothing may move.
    const key = (f: SvgFrame) => `${f.title} x=${f.x.toFixed(1)} w=${f.width.toFixed(1)} ${f.fill}`;
    const actual = svg.frames.map((f) => key({ ...f, title: withoutBefore(f.title) }));
    assert.deepEqual(new Set(actual), new Set(expected.map(key)));
    assert.equal(actual.length, expected.length);
    // The before counts, from the two input files: 81 + 88 = 169 below main.
    const before = new Map(svg.frames.map((f) => [frameName(f.title), /; before: (\d+) samples\)$/.exec(f.title)?.[1]]));
    assert.deepEqual(
      before,
      new Map([["all", "169"], ["func_ab", "169"], ["__libc_start_main", "169"], ["main", "169"], ["func_a", "81"], ["func_b", "88"]]),
    );
  });
}

test("colours and titles follow each frame's own change, worked out by hand", () => {
  const before = folded("hand-before.folded", ["a;b 10", "a;c 10"]);
  const after = folded("hand-after.folded", ["a;b 30", "a;c 5", "a 5"]);
  // Self deltas: a +5, b +20, c -5; the largest is 20. Shade = floor(210 * (20 - |delta|) / 20).
  assert.deepEqual(
    titlesAndFills(svgOf(["diff", before, after])),
    new Map([
      ["all", ["all (40 samples, 100%; before: 20 samples)", "rgb(255,255,255)"]],
      ["a", ["a (40 samples, 100.00%; +12.50%; before: 20 samples)", "rgb(255,157,157)"]],
      ["b", ["b (30 samples, 75.00%; +50.00%; before: 10 samples)", "rgb(255,0,0)"]],
      ["c", ["c (5 samples, 12.50%; -12.50%; before: 10 samples)", "rgb(157,157,255)"]],
    ]),
  );
  // --negate: the same magnitudes, signs and hues swapped.
  assert.deepEqual(
    titlesAndFills(svgOf(["diff", "--negate", before, after])),
    new Map([
      ["all", ["all (40 samples, 100%; before: 20 samples)", "rgb(255,255,255)"]],
      ["a", ["a (40 samples, 100.00%; -12.50%; before: 20 samples)", "rgb(157,157,255)"]],
      ["b", ["b (30 samples, 75.00%; -50.00%; before: 10 samples)", "rgb(0,0,255)"]],
      ["c", ["c (5 samples, 12.50%; +12.50%; before: 10 samples)", "rgb(255,157,157)"]],
    ]),
  );
  // --normalize doubles before (40 / 20): b +10, c -15, a +5; the largest is 15.
  assert.deepEqual(
    titlesAndFills(svgOf(["diff", "--normalize", before, after])),
    new Map([
      ["all", ["all (40 samples, 100%; before: 40 samples)", "rgb(255,255,255)"]],
      ["a", ["a (40 samples, 100.00%; +12.50%; before: 40 samples)", "rgb(255,140,140)"]],
      ["b", ["b (30 samples, 75.00%; +25.00%; before: 20 samples)", "rgb(255,70,70)"]],
      ["c", ["c (5 samples, 12.50%; -37.50%; before: 20 samples)", "rgb(0,0,255)"]],
    ]),
  );
});

test("a frame that disappeared is not drawn but counts in before's totals and the colour scale", () => {
  const before = folded("gone-before.folded", ["x 4", "y 2"]);
  const after = folded("gone-after.folded", ["y 6"]);
  // y grew by 4, x shrank by 4: the scale is 4, so y is fully red.
  assert.deepEqual(
    titlesAndFills(svgOf(["diff", before, after])),
    new Map([
      ["all", ["all (6 samples, 100%; before: 6 samples)", "rgb(255,255,255)"]],
      ["y", ["y (6 samples, 100.00%; +66.67%; before: 2 samples)", "rgb(255,0,0)"]],
    ]),
  );
});

test("--strip-hex lines up frames that differ only in addresses", () => {
  const before = folded("hex-before.folded", ["main;0x4004f0 5", "main;f+0x1A 2"]);
  const after = folded("hex-after.folded", ["main;0x4005aa 7"]);
  const plain = runCli(["diff", "--folded", before, after]);
  assert.equal(plain.stdout, "main;0x4004f0 5 0\nmain;0x4005aa 0 7\nmain;f+0x1A 2 0\n");
  const stripped = runCli(["diff", "--folded", "--strip-hex", before, after]);
  assert.equal(stripped.stdout, "main;0x... 5 7\nmain;f+0x... 2 0\n");
  const frames = titlesAndFills(svgOf(["diff", "--strip-hex", before, after]));
  // 0x... grew by 2 of 7; f+0x... (gone) shrank by 2: both the largest change.
  assert.deepEqual(frames.get("0x..."), ["0x... (7 samples, 100.00%; +28.57%; before: 5 samples)", "rgb(255,0,0)"]);
});

test("standard input can be either side", () => {
  const expected = readFileSync(join(foldedDir, "funcab-diff.folded2"), "utf8");
  assert.equal(runCli(["diff", "--folded", "-", funcabAfter], readFileSync(funcabBefore)).stdout, expected);
  assert.equal(runCli(["--folded", "--diff-base", funcabBefore], readFileSync(funcabAfter)).stdout, expected);
  assert.equal(runCli(["--folded", "--diff-base=-", funcabAfter], readFileSync(funcabBefore)).stdout, expected);
});

test("--diff-base BASE NEW is torch diff BASE NEW", () => {
  const viaFlag = runCli(["--diff-base", funcabBefore, funcabAfter]);
  const viaCommand = runCli(["diff", funcabBefore, funcabAfter]);
  assert.equal(viaFlag.status, 0, viaFlag.stderr);
  const svg = parseSvg(viaFlag.stdout);
  assert.deepEqual(svg.frames, parseSvg(viaCommand.stdout).frames);
  assert.equal(subtitleOf(svg), `before: ${funcabBefore}, after: ${funcabAfter}`);
});

for (const sampleType of ["contentions", "delay"]) {
  test(`after - before per stack is go tool pprof -diff_base's value (${sampleType})`, () => {
    const oracle = parsePprofRaw(goPprofRaw("mutex.pprof", [`-diff_base=${goSamplesDir}block.pprof`])).stacks.get(sampleType)!;
    const run = runCli(["--folded", "--sample-index", sampleType, "--diff-base", join(goSamplesDir, "block.pprof"), join(goSamplesDir, "mutex.pprof")]);
    assert.equal(run.status, 0, run.stderr);
    const deltas = new Map<string, number>();
    for (const line of run.stdout.split("\n").filter(Boolean)) {
      const fields = line.split(" ");
      const after = Number(fields.pop());
      const before = Number(fields.pop());
      if (after !== before) deltas.set(fields.join(" "), after - before);
    }
    assert.ok(oracle.size > 0);
    assert.deepEqual(stackDiff(oracle, deltas), []);
  });
}

test("what cannot be compared is refused", () => {
  const kinds = runCli(["diff", join(goSamplesDir, "goroutine.pprof"), join(goSamplesDir, "threadcreate.pprof")]);
  assert.equal(kinds.status, 1);
  assert.match(kinds.stderr, /threadcreate\.pprof: cannot compare threadcreate \(count\) with goroutine \(count\)/);
  const twice = runCli(["diff", join(foldedDir, "funcab-diff.folded2"), funcabAfter]);
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /funcab-diff\.folded2: is already a differential profile/);
  for (const args of [
    ["diff", funcabBefore],
    ["diff", funcabBefore, funcabAfter, funcabAfter],
    ["--normalize", funcabAfter],
    ["--strip-hex", funcabAfter],
    ["diff", "--flamechart", funcabBefore, funcabAfter],
    ["diff", "-", "-"],
    ["--diff-base", "-", funcabAfter],
  ]) {
    assert.equal(runCli(args).status, 2, args.join(" "));
  }
});
