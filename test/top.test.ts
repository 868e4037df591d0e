/**
 * `torch --top N`: the functions table printed for terminals, checked against
 * truth computed here from `torch --folded` of the same input, and for the Go
 * samples against `go tool pprof -top` (flat and cum of every function).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { StackTree } from "torch-flamegraph";
import { readPprof, scaledValue, withThousands } from "#internals";
import { parseFolded } from "./support/folded.js";
import { corpusDir, repoRoot, runCli } from "./support/cli.js";
import { functionTruth, parseTopTable, stackTotal, type TopRow } from "./support/function-truth.js";
import { go, goSamplesDir } from "./support/go-pprof.js";

const ALL = "1000000";
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)}%`;

function torch(args: string[]): string {
  const result = runCli(args);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const textInputs: Array<{ name: string; args: string[] }> = [
  { name: "folded stacks", args: [join(corpusDir, "flamegraph-folded/folded/example-perf.folded")] },
  { name: "perf script with --kernel annotations", args: [join(corpusDir, "flamegraph-folded/raw/example-perf-stacks.txt.gz"), "--kernel"] },
  { name: "V8 .cpuprofile", args: [join(repoRoot, "samples/node/workload.cpuprofile")] },
  { name: "recursive stacks", args: [join(corpusDir, "flamegraph-folded/folded/example-dtrace.folded")] },
];

describe("--top against the folded stacks", () => {
  for (const input of textInputs) {
    let folded: string | undefined;
    for (const order of ["self", "total", "name"] as const) {
      test(`${input.name}, --sort ${order}`, () => {
        folded ??= torch([...input.args, "--folded"]);
        const stacks = parseFolded(folded);
        const truth = functionTruth(stacks);
        const total = stackTotal(stacks);
        const rows = parseTopTable(torch([...input.args, "--top", ALL, "--sort", order]));
        assert.deepEqual(rows.map((row) => row.name).sort(), [...truth.keys()].sort());
        let sum = 0;
        for (const row of rows) {
          const { self, total: cum } = truth.get(row.name)!;
          sum += self;
          const expected: TopRow = {
            flat: withThousandsOf(self),
            flatPercent: percent(self, total),
            sumPercent: percent(sum, total),
            cum: withThousandsOf(cum),
            cumPercent: percent(cum, total),
            name: row.name,
          };
          assert.deepEqual(row, expected);
        }
        const key = (row: TopRow) => truth.get(row.name)!;
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1], rows[i]];
          const inOrder =
            order === "name"
              ? a.name < b.name
              : order === "self"
                ? key(a).self > key(b).self || (key(a).self === key(b).self && (key(a).total > key(b).total || (key(a).total === key(b).total && a.name < b.name)))
                : key(a).total > key(b).total || (key(a).total === key(b).total && (key(a).self > key(b).self || (key(a).self === key(b).self && a.name < b.name)));
          assert.ok(inOrder, `${a.name} before ${b.name} in --sort ${order}`);
        }
      });
    }
  }

  test("N limits the rows and the heading says how many of how many", () => {
    const input = textInputs[0].args;
    const all = parseTopTable(torch([...input, "--top", ALL]));
    const text = torch([...input, "--top", "5"]);
    assert.deepEqual(parseTopTable(text), all.slice(0, 5));
    assert.match(text, new RegExp(`^Showing 5 of ${all.length} functions, `, "m"));
  });
});

/** Counts as the table prints them: whole numbers with thousands separators (the test's own formatting). */
function withThousandsOf(value: number): string {
  return value.toLocaleString("en-US");
}

interface PprofTopRow {
  flat: number;
  cum: number;
}

/**
 * `go tool pprof -top`'s total and rows by function name; `-unit` makes it
 * print raw nanoseconds or bytes. Its percentages have two significant
 * digits below 1%, so shares are recomputed from its values.
 */
function pprofTop(file: string, unit: string): { total: number; rows: Map<string, PprofTopRow> } {
  const unitFlag = unit === "nanoseconds" ? ["-unit=ns"] : unit === "bytes" ? ["-unit=B"] : [];
  const text = go(["tool", "pprof", "-top", "-nodecount=1000000", "-nodefraction=0", "-edgefraction=0", ...unitFlag, goSamplesDir + file]);
  const total = /^Showing nodes accounting for .* of ([\d.]+)\D* total$/m.exec(text);
  assert.ok(total, text);
  const rows = new Map<string, PprofTopRow>();
  for (const line of text.split("\n")) {
    const match = /^\s*([\d.]+)\D*\s+[\d.]+%\s+[\d.]+%\s+([\d.]+)\D*\s+[\d.]+%\s+(.*?)( \(inline\))?$/.exec(line);
    if (match) rows.set(match[3], { flat: Number(match[1]), cum: Number(match[2]) });
  }
  return { total: Number(total[1]), rows };
}

describe("--top against go tool pprof -top", () => {
  for (const file of readdirSync(goSamplesDir).filter((name) => name.endsWith(".pprof"))) {
    test(file, () => {
      const { unit } = readPprof(new Uint8Array(readFileSync(goSamplesDir + file)), file, {}, new StackTree());
      const { total, rows: oracle } = pprofTop(file, unit);
      const rows = parseTopTable(torch([goSamplesDir + file, "--top", ALL]));
      const shown = (value: number) => scaledValue(value, unit) ?? withThousands(value);
      const actual = new Map(rows.map((row) => [row.name, row]));
      assert.deepEqual([...actual.keys()].sort(), [...oracle.keys()].filter((name) => oracle.get(name)!.cum > 0).sort());
      for (const [name, expected] of oracle) {
        if (expected.cum === 0) continue;
        const row = actual.get(name)!;
        assert.deepEqual(
          { name, flat: row.flat, flatPercent: row.flatPercent, cum: row.cum, cumPercent: row.cumPercent },
          { name, flat: shown(expected.flat), flatPercent: percent(expected.flat, total), cum: shown(expected.cum), cumPercent: percent(expected.cum, total) },
        );
      }
    });
  }
});

test("--top usage errors are one line and exit 2", () => {
  const input = textInputs[0].args[0];
  for (const args of [["--top", "0"], ["--top", "2.5"], ["--top", "3", "--folded"], ["--top", "3", "--sort", "flat"]]) {
    const result = runCli([input, ...args]);
    assert.equal(result.status, 2, args.join(" "));
    assert.match(result.stderr, /^torch: .*\n/);
    assert.equal(result.stdout, "");
  }
});

test("thousands separators group like Intl's en-US, bigints digit for digit", () => {
  const intl = new Intl.NumberFormat("en-US");
  const values = [0, 7, 999, 1000, -1234, 123456, -1000000, 2.5, 1234567.49, Number.MAX_SAFE_INTEGER, 1e20];
  for (const value of values) assert.equal(withThousands(value), intl.format(Math.round(value)), String(value));
  for (const value of [2n ** 64n - 1n, -(2n ** 70n), 10n ** 30n]) assert.equal(withThousands(value), intl.format(value), String(value));
});
