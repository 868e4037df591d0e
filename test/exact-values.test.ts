/**
 * Values above 2^53 (issue 13, case 10): pprof values are int64 and folded
 * counts any integer, and a double keeps only 53 bits. torch must print them
 * exactly in --folded, --top, titles and the functions data. The expected
 * values are sums the test makes with BigInt from the input's own digits, and
 * for pprof from the digits `go tool pprof -raw` prints for the same file.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "./support/cli.js";
import { go } from "./support/go-pprof.js";
import { scratchDir } from "./support/scratch.js";
import { writeTwoFramePprof } from "./support/two-frame-pprof.js";

const dir = scratchDir("exact-values");
const TWO_POW_53 = 2n ** 53n;

/** Sums `stack count` lines per stack with BigInt: the independent truth for --folded. */
function bigSums(lines: readonly string[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const line of lines) {
    const at = line.lastIndexOf(" ");
    const stack = line.slice(0, at);
    sums.set(stack, (sums.get(stack) ?? 0n) + BigInt(line.slice(at + 1)));
  }
  return sums;
}

function foldedOf(args: string[], input?: string): Map<string, bigint> {
  const run = runCli(["--folded", ...args], input);
  assert.equal(run.status, 0, run.stderr);
  return bigSums(run.stdout.trimEnd().split("\n"));
}

/** The value a frame's title states, as digits without separators. */
function titleValue(svg: string, name: string): bigint {
  const match = new RegExp(`<title>${name} \\(([\\d,]+) samples`).exec(svg);
  assert.ok(match, `no title for ${name}`);
  return BigInt(match[1].replaceAll(",", ""));
}

const input = [
  "main;work 9007199254740993", // 2^53 + 1: the first integer a double cannot hold
  "main;work 1",
  "main;idle 18446744073709551615", // 2^64 - 1
  "main 4503599627370497", // 2^52 + 1: safe alone, but the sums pass 2^53
  "main 4503599627370497",
];

test("folded counts above 2^53 come out of --folded exactly", () => {
  assert.deepEqual(foldedOf(["-"], input.join("\n") + "\n"), bigSums(input));
});

test("safe counts whose sum passes 2^53 add up exactly", () => {
  const lines = Array.from({ length: 5 }, (_, i) => `a;b${i % 2} 4503599627370497`);
  const folded = foldedOf(["-"], lines.join("\n") + "\n");
  assert.deepEqual(folded, bigSums(lines));
  assert.ok([...folded.values()].some((sum) => sum > TWO_POW_53));
});

test("titles, --top and the functions data state values above 2^53 exactly", () => {
  const text = input.join("\n") + "\n";
  const sums = bigSums(input);
  const total = [...sums.values()].reduce((a, b) => a + b);
  const svg = runCli(["-"], text).stdout;
  assert.equal(titleValue(svg, "all"), total);
  assert.equal(titleValue(svg, "main"), total);
  assert.equal(titleValue(svg, "work"), sums.get("main;work"));
  assert.match(svg, new RegExp(`<g id="frames" data-total="${total}"`));
  const functions = /<metadata id="functions">(.*?)<\/metadata>/.exec(svg)![1];
  assert.ok(functions.includes(`["idle",${sums.get("main;idle")},${sums.get("main;idle")}]`), functions);

  const top = runCli(["--top", "3", "-"], text).stdout.split("\n");
  const idle = top.find((line) => line.endsWith(" idle"))!;
  assert.equal(idle.trim().split(/\s+/)[0], sums.get("main;idle")!.toLocaleString("en-US"));
});

test("merging inputs keeps values above 2^53 exact", () => {
  const file = join(dir, "big.folded");
  writeFileSync(file, input.join("\n") + "\n");
  const once = bigSums(input);
  const merged = foldedOf([file, file]);
  assert.deepEqual(merged, new Map([...once].map(([stack, sum]) => [stack, 2n * sum])));
});

test("pprof int64 values above 2^53 match go tool pprof -raw digit for digit", () => {
  // Sums stay below 2^63: go tool pprof adds a stack's samples in int64.
  const values = [["9007199254740993"], ["4611686018427387905"], ["4611686018427387904"], ["3"]];
  const path = writeTwoFramePprof(join(dir, "big.pb"), [["alloc_space", "bytes"]], values);
  const raw = go(["tool", "pprof", "-raw", path]);
  // -raw prints each (merged) sample's value, then its location ids leaf first; then each location's function.
  const functionOf = new Map([...raw.matchAll(/^\s+(\d+): 0x0 M=1 (\w+) /gm)].map((m) => [m[1], m[2]]));
  const expected = new Map<string, bigint>();
  for (const match of raw.matchAll(/^\s+(-?\d+): ((?:\d+ ?)+)$/gm)) {
    const stack = match[2].trim().split(" ").reverse().map((id) => functionOf.get(id)).join(";");
    expected.set(stack, (expected.get(stack) ?? 0n) + BigInt(match[1]));
  }
  assert.deepEqual([...expected.keys()].sort(), ["main", "main;work"], raw);
  assert.deepEqual(foldedOf([path]), expected);
});
