/**
 * macOS `sample` reports: a hand-made report (no producer runs here; see
 * test/fixtures/macos-sample/README.md), checked against stacks worked out by
 * hand from its call graph and against its own "Sort by top of stack" summary.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { foldedMap } from "./support/folded.js";
import { repoRoot, runCli } from "./support/cli.js";

const file = join(repoRoot, "test/fixtures/macos-sample/demo.sample.txt");

function torch(args: string[], input?: string): string {
  const run = runCli(args, input);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

test("the call graph: each node's own samples (its count less its callees'), under its thread", () => {
  const main = "Thread_801234 DispatchQueue_1: com.apple.main-thread (serial);dyld`start;demo`main";
  assert.deepEqual(
    foldedMap(torch(["--folded", file])),
    new Map([
      // main + 40 (115) has callees of 70 + 45; main + 60 (5) is the same function.
      [main, 5],
      [`${main};demo\`idle;libsystem_kernel.dylib\`__semwait_signal`, 45],
      [`${main};demo\`work`, 70 - 50],
      [`${main};demo\`work;demo\`hash`, 50],
      ["Thread_801240;libsystem_pthread.dylib`thread_start;libsystem_pthread.dylib`_pthread_start;demo`worker;demo`???", 30],
    ]),
  );
});

test("each function's own samples equal the report's 'Sort by top of stack' summary", () => {
  const text = readFileSync(file, "utf8");
  const summary = text.slice(text.indexOf("Sort by top of stack"), text.indexOf("Binary Images:"));
  const expected = new Map([...summary.matchAll(/^ {8}(\S+) {2}\(in ([^)]+)\) +(\d+)$/gm)].map((m) => [`${m[2]}\`${m[1]}`, Number(m[3])]));
  assert.equal(expected.size, 5);
  const flat = new Map<string, number>();
  for (const m of torch(["--top", "100", file]).matchAll(/^ *(\d+) +[\d.]+% +[\d.]+% +\d+ +[\d.]+% {2}(.+)$/gm)) {
    if (Number(m[1]) > 0) flat.set(m[2], Number(m[1]));
  }
  assert.deepEqual(flat, expected);
});

test("a call graph whose callees outweigh their caller is refused in one line", () => {
  const report = "Call graph:\n    10 Thread_1\n    + 10 main  (in a) + 1  [0x1]\n    +   11 work  (in a) + 1  [0x2]\n\n";
  const run = runCli(["--folded", "-"], report);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /line 5: the callees of a call graph node add up to more than its own count\n$/);
});
