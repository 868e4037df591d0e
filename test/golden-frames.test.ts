/**
 * Layout and colour fidelity against flamegraph.pl itself: the peer corpus
 * holds, for several inputs and options, the frame table flamegraph.pl drew
 * (title, x, y, width, height, fill, label per frame). torch must draw the
 * same frames. flamegraph.pl writes frames in hash order, so both sides are
 * compared as sets keyed by title and position.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_OPTIONS, paddings } from "torch-flamegraph";
import { runCli, corpusDir } from "./support/cli.js";
import { readGoldenTable, withoutBefore } from "./support/golden-frames.js";
import { parseSvg, type SvgFrame } from "./support/svg.js";

const folded = join(corpusDir, "flamegraph-folded", "folded");
const results = join(corpusDir, "flamegraph-perf", "results");

/** The flamegraph.pl invocations behind each table (see the corpus README), as torch arguments. */
const CASES: Array<{ table: string; args: string[]; compareFill?: boolean }> = [
  { table: "perf-default", args: [join(folded, "example-perf.folded")], compareFill: false },
  { table: "perf-hash", args: [join(folded, "example-perf.folded")] },
  { table: "perf-all-java-hash", args: ["--colors", "java", join(folded, "example-perf-all.folded")] },
  { table: "perf-inverted-hash", args: ["--inverted", join(folded, "example-perf.folded")] },
  { table: "perf-reverse-hash", args: ["--reverse", join(folded, "example-perf.folded")] },
  { table: "perf-flamechart-hash", args: ["--flamechart", join(folded, "example-perf.folded")] },
  { table: "perf-minwidth1pct-hash", args: ["--minwidth", "1%", join(folded, "example-perf.folded")] },
  {
    table: "perf-w800-h20-fs10-hash",
    args: ["--width", "800", "--height", "20", "--fontsize", "10", join(folded, "example-perf.folded")],
  },
  {
    table: "perf-factor-total-hash",
    args: ["--factor", "2", "--total", "100000", "--countname", "ms", join(folded, "example-perf.folded")],
  },
  { table: "dtrace-hash-mem", args: ["--colors", "mem", join(folded, "example-dtrace.folded")] },
  // torch titles differential graphs as such by default; the title is set to compare the frames.
  { table: "funcab-diff", args: ["--title", "Flame Graph", join(folded, "funcab-diff.folded2")] },
  { table: "funcab-diff-negate", args: ["--title", "Flame Graph", "--negate", join(folded, "funcab-diff.folded2")] },
  { table: "escaping-hash", args: ["--title", "T", join(folded, "escaping.folded")] },
  { table: "vertx-all-java", args: ["--colors", "java", join(results, "perf-vertx-stacks-01-collapsed-all.txt")] },
];

/** Both tools print coordinates to 0.1 px; allow for rounding either way. */
const TOLERANCE = 0.11;

function key(frame: SvgFrame): string {
  return `${withoutBefore(frame.title)}@${frame.y}`;
}

for (const { table, args, compareFill = true } of CASES) {
  test(`frames match flamegraph.pl: ${table}`, () => {
    const expected = readGoldenTable(table);
    const run = runCli(args);
    assert.equal(run.status, 0, run.stderr);
    const actual = parseSvg(run.stdout);
    assert.equal(actual.width, expected.width, "image width");
    // Deliberate difference: a differential graph adds a legend line at the bottom; its frames keep flamegraph.pl's positions.
    const legend = actual.frames[0].title.includes("; before: ") ? paddings(DEFAULT_OPTIONS, true).legend : 0;
    assert.equal(actual.height, expected.height + legend, "image height");
    assert.equal(actual.title, expected.title, "title");
    assert.equal(actual.frames.length, expected.frames.length, "frame count");

    const byKey = new Map<string, SvgFrame[]>();
    for (const frame of actual.frames) byKey.set(key(frame), [...(byKey.get(key(frame)) ?? []), frame]);
    const problems: string[] = [];
    for (const want of expected.frames) {
      const candidates = byKey.get(key(want)) ?? [];
      const index = candidates.findIndex((got) => Math.abs(got.x - want.x) <= TOLERANCE);
      if (index < 0) {
        problems.push(`missing ${key(want)} x=${want.x} (torch has x=${candidates.map((c) => c.x).join(",") || "none"})`);
        continue;
      }
      const [got] = candidates.splice(index, 1);
      if (Math.abs(got.width - want.width) > TOLERANCE) problems.push(`${key(want)} width ${got.width} != ${want.width}`);
      if (got.height !== want.height) problems.push(`${key(want)} height ${got.height} != ${want.height}`);
      // Deliberate difference: torch labels the root frame "all" (flamegraph.pl leaves it blank).
      const wantLabel = want.title.startsWith("all (") && want.y === actual.frames[0].y ? "all" : want.label;
      if (got.label !== wantLabel) problems.push(`${key(want)} label ${JSON.stringify(got.label)} != ${JSON.stringify(wantLabel)}`);
      if (compareFill && got.fill !== want.fill) problems.push(`${key(want)} fill ${got.fill} != ${want.fill}`);
    }
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} frame differences`);
  });
}
