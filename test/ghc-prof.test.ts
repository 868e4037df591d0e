/**
 * GHC cost-centre profiles of one program (scripts/make-ghc-prof-fixtures.sh), in the
 * three report forms: +RTS -P (ticks.prof), +RTS -pj (profile.json), +RTS -p (percent.prof).
 * Oracles are GHC's own figures: each report's header totals, the -P report's
 * per-cost-centre summary table and inherited percentages, and across runs the entry
 * counts, which do not vary, so the .prof and JSON trees must carry the same ones.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";
import { foldedMap, parseFolded, stackDiff } from "./support/folded.js";

const dir = join(repoRoot, "test/fixtures/ghc-prof");
const fixture = (name: string) => join(dir, name);

function torch(args: string[]): { stacks: Map<string, number>; stderr: string } {
  const run = runCli(["--folded", ...args]);
  assert.equal(run.status, 0, run.stderr);
  return { stacks: foldedMap(run.stdout), stderr: run.stderr };
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** `total time = ... (N ticks ...)` and `total alloc = N bytes` of a .prof report. */
function reportTotals(name: string): { ticks: number; bytes: number } {
  const text = readFileSync(fixture(name), "utf8");
  return {
    ticks: Number(/\((\d+) ticks @/.exec(text)![1]),
    bytes: Number(/total alloc = ([\d,]+) bytes/.exec(text)![1].replaceAll(",", "")),
  };
}

test("+RTS -P: ticks and bytes add up to the report's totals, per cost centre to its summary table", () => {
  const totals = reportTotals("ticks.prof");
  const ticks = torch([fixture("ticks.prof")]).stacks;
  const bytes = torch(["--sample-index", "alloc", fixture("ticks.prof")]).stacks;
  assert.equal(sum(ticks.values()), totals.ticks);
  assert.equal(sum(bytes.values()), totals.bytes);
  // The summary at the top: `COST CENTRE MODULE SRC %time %alloc ticks bytes`, per cost centre over all its stacks.
  const text = readFileSync(fixture("ticks.prof"), "utf8");
  const summary = text.slice(text.indexOf("COST CENTRE"), text.indexOf("individual"));
  const rows = [...summary.matchAll(/^(\S+)\s+(\S+)\s+\S+\s+[\d.]+\s+[\d.]+\s+(\d+)\s+(\d+)$/gm)];
  assert.ok(rows.length >= 4);
  for (const [, label, module, rowTicks, rowBytes] of rows) {
    const frame = `${module}.${label}`;
    const own = (stacks: Map<string, number>) => sum([...stacks].filter(([stack]) => stack.endsWith(`;${frame}`)).map(([, v]) => v));
    assert.equal(own(ticks), Number(rowTicks), frame);
    assert.equal(own(bytes), Number(rowBytes), frame);
  }
  assert.ok(bytes.has("MAIN;Main.CAF;Main.main;Main.sumSquares;Main.sumSquares.\\;Main.modulo"));
  assert.ok(bytes.has("MAIN;Main.CAF;Main.main;Main.sortRounds;Main.sortRounds.smallest;Main.modulo"));
});

test("+RTS -P: each stack's inclusive share is the report's inherited %time and %alloc", () => {
  const lines = readFileSync(fixture("ticks.prof"), "utf8").split("\n");
  const header = lines.findIndex((line) => /\bno\.\s+entries\b/.test(line));
  const totals = { ticks: torch([fixture("ticks.prof")]).stacks, alloc: torch(["--sample-index", "alloc", fixture("ticks.prof")]).stacks };
  const path: string[] = [];
  let checked = 0;
  for (const line of lines.slice(header + 2).filter((l) => l.trim() !== "")) {
    const depth = line.length - line.trimStart().length;
    const [label, module] = line.trim().split(/\s+/);
    path.length = depth;
    path.push(label === module ? label : `${module}.${label}`);
    const fields = line.trim().split(/\s+/);
    const [inheritedTime, inheritedAlloc] = fields.slice(-4, -2).map(Number);
    const prefix = path.join(";");
    for (const [kind, stacks, inherited] of [["ticks", totals.ticks, inheritedTime], ["alloc", totals.alloc, inheritedAlloc]] as const) {
      const under = sum([...stacks].filter(([stack]) => stack === prefix || stack.startsWith(`${prefix};`)).map(([, v]) => v));
      const percent = (100 * under) / sum(stacks.values());
      assert.ok(Math.abs(percent - inherited) <= 0.05 + 1e-9, `${prefix} ${kind}: ${percent} vs ${inherited}`);
    }
    checked++;
  }
  assert.ok(checked >= 10);
});

test("+RTS -pj: totals are the JSON's, and the tree and entry counts are the .prof report's", () => {
  const json = JSON.parse(readFileSync(fixture("profile.json"), "utf8")) as { total_ticks: number; total_alloc: number };
  assert.equal(sum(torch([fixture("profile.json")]).stacks.values()), json.total_ticks);
  assert.equal(sum(torch(["--sample-index", "alloc", fixture("profile.json")]).stacks.values()), json.total_alloc);
  const entries = (file: string) => torch(["--sample-index", "entries", file]).stacks;
  const fromJson = entries(fixture("profile.json"));
  assert.deepEqual(stackDiff(entries(fixture("ticks.prof")), fromJson), []);
  assert.deepEqual(stackDiff(entries(fixture("percent.prof")), fromJson), []);
  assert.equal(fromJson.get("MAIN;Main.CAF;Main.main;Main.sumSquares;Main.sumSquares.\\;Main.modulo"), 3000000);
});

test("+RTS -p: percentages of the totals, with a warning that says how to get exact counts", () => {
  const totals = reportTotals("percent.prof");
  const { stacks, stderr } = torch(["--sample-index", "alloc", fixture("percent.prof")]);
  assert.match(stderr, /percentages of its total \(0\.1% steps\); profile with \+RTS -P or -pj/);
  const lines = readFileSync(fixture("percent.prof"), "utf8").split("\n");
  const rows = lines.slice(lines.findIndex((line) => /\bno\.\s+entries\b/.test(line)) + 2).filter((l) => l.trim() !== "");
  // Each stack's value is its individual %alloc of the total alloc, to the byte.
  const individual = sum(rows.map((row) => Number(row.trim().split(/\s+/).at(-3))));
  assert.equal(parseFolded([...stacks].map(([s, v]) => `${s} ${v}`).join("\n")).length, stacks.size);
  assert.ok(Math.abs(sum(stacks.values()) - (individual / 100) * totals.bytes) <= rows.length);
});

test("a GHC report without a cost-centre tree is refused in one line", () => {
  const run = runCli(["--folded", "-"], "\tMon Nov 30 11:18 2026 Time and Allocation Profiling Report  (Final)\n\n\ttotal time = 0.00 secs\n");
  assert.equal(run.status, 1);
  assert.equal(run.stderr, "torch: <stdin>: not a GHC profile: no cost-centre tree (COST CENTRE ... no. entries) found\n");
});
