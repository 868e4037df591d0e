/**
 * Call trees exported as CSV: Visual Studio's CallTreeSummary and Intel
 * VTune's top-down report. No producer runs here, so the fixtures are
 * hand-made in the documented layouts (see the READMEs beside them); torch is
 * checked against stacks worked out by hand from their self columns, and
 * every frame's total against the file's own inclusive column, which the
 * readers do not read.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "csv-parse/sync";
import { foldedMap } from "./support/folded.js";
import { repoRoot, runCli } from "./support/cli.js";

const vsFile = join(repoRoot, "test/fixtures/vs-calltree/demo_CallTreeSummary.csv");
const vtuneFile = join(repoRoot, "test/fixtures/vtune/tachyon-top-down.csv");

function torch(args: string[], input?: string): string {
  const run = runCli(args, input);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** Each stack's total: its own value plus its descendants'. */
function totalOf(stacks: Map<string, number>, path: string): number {
  let total = 0;
  for (const [stack, count] of stacks) if (stack === path || stack.startsWith(`${path};`)) total += count;
  return total;
}

/** The file's rows as (path, inclusive value), the path rebuilt from each row's depth. */
function inclusiveColumn(file: string, depthOf: (row: string[]) => number, nameOf: (row: string[]) => string, inclusive: number): [string, number][] {
  const rows = (parse(readFileSync(file, "utf8"), { skip_empty_lines: true }) as string[][]).slice(1);
  const path: string[] = [];
  return rows.map((row) => {
    path.length = depthOf(row);
    path.push(nameOf(row));
    return [path.join(";"), Number(row[inclusive])];
  });
}

test("Visual Studio call tree: each node's Exclusive Samples are its own, under the nodes of lower Level above it", () => {
  const main = "demo.exe;__tmainCRTStartup;main";
  assert.deepEqual(
    foldedMap(torch(["--folded", vsFile])),
    new Map([
      ["demo.exe;__tmainCRTStartup", 2],
      [main, 8],
      [`${main};Parser::parse(const char *, int)`, 35],
      [`${main};Parser::parse(const char *, int);std::vector<int,std::allocator<int> >::push_back`, 25],
      [`${main};compute`, 20],
      [`${main};compute;sqrt`, 10],
    ]),
  );
});

test("Visual Studio call tree: every frame's total equals its Inclusive Samples", () => {
  const stacks = foldedMap(torch(["--folded", vsFile]));
  const rows = inclusiveColumn(vsFile, (row) => Number(row[0]), (row) => row[1], 2);
  assert.equal(rows.length, 7);
  for (const [path, inclusive] of rows) assert.equal(totalOf(stacks, path), inclusive, path);
});

test("VTune top-down: CPU Time:Self is each frame's own, the Total row is the sum and no frame", () => {
  const main = "_start;__libc_start_main;main";
  const stacks = foldedMap(torch(["--folded", vtuneFile]));
  assert.deepEqual(
    stacks,
    new Map([
      ["_start;__libc_start_main", 0.01],
      [main, 0.04],
      [`${main};render_one_pixel`, 0.15],
      [`${main};render_one_pixel;trace`, 0.3],
      [`${main};render_one_pixel;trace;grid_intersect`, 1.2],
      [`${main};std::vector<int, std::allocator<int>>::push_back`, 0.8],
      ["start_thread;worker", 0.5],
    ]),
  );
});

test("VTune top-down: every frame's total equals its CPU Time:Total, and all of them the Total row's", () => {
  const stacks = foldedMap(torch(["--folded", vtuneFile]));
  const [total, ...rows] = inclusiveColumn(vtuneFile, (row) => row[0].length - row[0].trimStart().length, (row) => row[0].trim(), 1);
  assert.equal(total[0], "Total");
  const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);
  near([...stacks.values()].reduce((a, b) => a + b, 0), total[1], "all");
  assert.equal(rows.length, 9);
  // Paths below the Total row start at depth 1.
  for (const [path, inclusive] of rows) near(totalOf(stacks, path.replace(/^Total;/, "")), inclusive, path);
});

test("VTune top-down: tab- and semicolon-separated reports (-csv-delimiter tab, semicolon) are read too", () => {
  for (const delimiter of ["\t", ";"]) {
    const report = [["Function Stack", "CPU Time:Total", "CPU Time:Self", "Module"], ["Total", "3", "0", "[Unknown]"], [" main", "3", "1", "app"], ["  f(a, b)", "2", "2", "app"]];
    const text = report.map((row) => row.join(delimiter)).join("\n");
    assert.deepEqual(foldedMap(torch(["--folded", "-"], text)), new Map([["main", 1], ["main;f(a, b)", 2]]));
  }
});

test("each format is recognised by its header, with a byte-order mark, and a bad value is one line naming it", () => {
  const vs = "\uFEFFLevel,Function Name,Inclusive Samples,Exclusive Samples\r\n0,a,3,1\r\n1,b,2,\"1,002\"\r\n";
  assert.deepEqual(foldedMap(torch(["--folded", "-"], vs)), new Map([["a", 1], ["a;b", 1002]]));
  const bad = runCli(["--folded", "-"], "Level,Function Name,Inclusive Samples,Exclusive Samples\n0,a,3,many\n");
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'torch: <stdin>: line 2: Exclusive Samples "many" is not a value\n');
  const depth = runCli(["--folded", "-"], "Function Stack,CPU Time:Total,CPU Time:Self\nTotal,1,0\n\"\",1,1\n");
  assert.equal(depth.status, 1);
  assert.match(depth.stderr, /^torch: <stdin>: line 3: no function in "Function Stack"\n$/);
});
