/**
 * V8 formats besides today's .cpuprofile: the sampling heap profile written by
 * node --heap-prof (checked against its tree's self sizes, DevTools' numbers) and the
 * old head-tree CPU profile (a hand-made file, values worked out by hand).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";

const dir = join(repoRoot, "test/fixtures/v8");

function folded(args: string[]): Map<string, number> {
  const run = runCli(["--folded", ...args]);
  assert.equal(run.status, 0, run.stderr);
  return new Map(run.stdout.trimEnd().split("\n").map((line) => [line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1))]));
}

interface HeapNode {
  id: number;
  selfSize: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children: HeapNode[];
}

test("node --heap-prof: each stack's self size as DevTools shows it", () => {
  const profile = JSON.parse(readFileSync(join(dir, "alloc.heapprofile"), "utf8")) as { head: HeapNode };
  // Self size per stack, root frame first, frames named `function (file:line)` as DevTools shows them.
  const expected = new Map<string, number>();
  const walk = (node: HeapNode, path: string[]) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "");
    const name = (functionName || "(anonymous)") + (file ? ` (${file}${lineNumber >= 0 ? `:${lineNumber + 1}` : ""})` : "");
    const here = path.length === 0 && functionName === "(root)" ? [] : [...path, name];
    if (node.selfSize > 0) expected.set(here.join(";"), (expected.get(here.join(";")) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  const ours = folded([join(dir, "alloc.heapprofile")]);
  assert.deepEqual(ours, expected);
  assert.ok([...ours.keys()].some((stack) => /makeRecords \(.*alloc\.js:\d+\)$/.test(stack)));
});

test("the old head-tree .cpuprofile: samples, and time from absolute timestamps", () => {
  const file = join(dir, "old-head-tree.cpuprofile");
  assert.deepEqual(
    folded([file]),
    new Map([
      ["(program)", 1],
      ["main (/srv/app.js:3)", 1],
      ["main (/srv/app.js:3);(anonymous) (/srv/app.js:20)", 1],
      ["main (/srv/app.js:3);work (/srv/app.js:10)", 3],
    ]),
  );
  // Each sample lasts until the next timestamp; the last one the average gap, 1000 µs.
  assert.deepEqual(
    folded(["--sample-index", "time", file]),
    new Map([
      ["(program)", 1000],
      ["main (/srv/app.js:3)", 500],
      ["main (/srv/app.js:3);(anonymous) (/srv/app.js:20)", 1000],
      ["main (/srv/app.js:3);work (/srv/app.js:10)", 3500],
    ]),
  );
});

test("text with a byte-order mark: UTF-8 and UTF-16 in both byte orders read as folded stacks", () => {
  const text = "main;wörk 3\nmain;idle 1\n";
  const utf16be = Buffer.from(text, "utf16le").swap16();
  for (const bytes of [
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
    Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]),
  ]) {
    const run = runCli(["--folded", "-"], bytes);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "main;idle 1\nmain;wörk 3\n");
  }
});

test("input that is no profile names every format tried", () => {
  const run = runCli(["--folded", "-"], "hello\nworld\n");
  assert.equal(run.status, 1);
  assert.match(run.stderr, /not a recognised profile: .*; formats tried: pprof, .*perf.*, folded\n$/);
});
