/**
 * Instruments `xctrace export` XML of the time-profile table: a hand-made export
 * (no producer runs here; see test/fixtures/xctrace/README.md), checked against the
 * stacks and totals worked out by hand there, including id/ref reuse of frames,
 * backtraces, weights and threads.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readProfile } from "torch-flamegraph";
import { foldedMap } from "./support/folded.js";
import { repoRoot, runCli } from "./support/cli.js";

const file = join(repoRoot, "test/fixtures/xctrace/time-profile.xml");
const MAIN = "Main Thread 0x3e8a1 (demo, pid: 4242)";
const WORKER = "worker 0x3e8b2 (demo, pid: 4242)";

function torch(args: string[], input?: string): string {
  const run = runCli(args, input);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

test("each row's backtrace, root first under its thread, weighted in nanoseconds, refs resolved", () => {
  assert.deepEqual(
    foldedMap(torch(["--folded", file])),
    new Map([
      // Rows 1 and 2 (row 2 a ref to row 1's tagged-backtrace and weight).
      [`${MAIN};start;main;work`, 1000000 + 1000000],
      // Row 3: a new frame over three ref'd ones.
      [`${MAIN};start;main;work;hash`, 2000000],
      // Row 6: entities decoded, a ref'd weight.
      [`${MAIN};start;main;work;hash;std::vector<int>::push_back(int&&)`, 2000000],
      // Row 5: the worker reusing the main thread's nested <backtrace>.
      [`${WORKER};start;main;work`, 2000000],
      // Row 4: frames straight in the tagged-backtrace; an unsymbolicated frame named by its address.
      [`${WORKER};thread_start;_pthread_start;0x18e3a2b44`, 1000000],
    ]),
  );
});

test("detected without --format; totals per thread and in all as worked out by hand; samples by --sample-index", async () => {
  const weighted = await readProfile(file);
  assert.equal(weighted.unit, "nanoseconds");
  const totals = weighted.tree.totals();
  const thread = (name: string) => weighted.tree.children(weighted.tree.root).find((node) => weighted.tree.nameOfNode(node) === name)!;
  assert.deepEqual([totals[weighted.tree.root], totals[thread(MAIN)], totals[thread(WORKER)]], [9000000, 6000000, 3000000]);

  const counted = await readProfile(file, { sampleIndex: "samples" });
  assert.equal(counted.unit, "samples");
  assert.equal(counted.tree.totals()[counted.tree.root], 6);
  assert.equal(foldedMap(torch(["--folded", "--sample-index", "samples", file])).get(`${MAIN};start;main;work`), 2);
});

test("other tables, dangling refs and broken XML are refused in one line", () => {
  const text = readFileSync(file, "utf8");
  const cases: [string, RegExp][] = [
    [text.replace('schema name="time-profile"', 'schema name="time-sample"'), /an xctrace export of the "time-sample" table; torch reads the time-profile table \(xctrace export --xpath/],
    [text.replace('<weight ref="18"/>', '<weight ref="99"/>'), /row 5: ref="99" names no earlier element/],
    [text.replace(">1000000</weight>", ">1.5</weight>"), /row 1: weight "1.5" is not a whole number of nanoseconds/],
    [text.slice(0, text.indexOf("</row>")), /not well-formed XML: /],
    ['<?xml version="1.0"?>\n<trace-query-result>\n</trace-query-result>\n', /an xctrace export with no table/],
  ];
  for (const [input, message] of cases) {
    const run = runCli(["--folded", "-"], input);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`^torch: <stdin>: ${message.source}.*\\n$`));
  }
});

test("other XML and text are not taken for an xctrace export", () => {
  // An SVG and xctrace's table of contents stay with the readers that refuse them (the list of formats tried names it, nothing more).
  for (const input of ['<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n', '<?xml version="1.0"?>\n<trace-toc>\n<run number="1"/>\n</trace-toc>\n']) {
    const run = runCli(["--folded", "-"], input);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /not a recognised profile: .*formats tried: .*xctrace/);
  }
  // Folded stacks that mention the root element are still folded stacks.
  assert.deepEqual(foldedMap(torch(["--folded", "-"], "main;<trace-query-result> 3\n")), new Map([["main;<trace-query-result>", 3]]));
});
