/**
 * The folded writer against the definition of its output: every distinct
 * stack once, `stack count`, the stacks sorted by code unit (as
 * stackcollapse-*.pl sort them). The expected lines are computed here from
 * the stacks added, without the tree; the writer orders them by a walk of
 * the tree, which must agree exactly, above all where names are prefixes of
 * each other and the characters after the prefix sort around ";".
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { StackTree } from "torch-flamegraph";
import { foldedChunks, foldedLines } from "#internals";
import { Random } from "../bench/prng.js";
import { sortedFoldedLines } from "./support/folded.js";

/** Names that are prefixes of one another, followed by characters below, at and above ";" and " ". */
const TRICKY_NAMES = ["a", "a.b", "a b", "a\tx", "a:", "a<", "a=", "ab", "a!", "b", "", "é", "éa", "\u{1F600}", "\u{1F600}x", "z".repeat(40)];

function randomStacks(random: Random, count: number, names: readonly string[]): Array<{ frames: string[]; value: number }> {
  return Array.from({ length: count }, () => ({
    frames: Array.from({ length: random.int(1, 6) }, () => random.pick(names)),
    value: random.int(1, 9),
  }));
}

/** The definition: sum per stack, sort the stacks by code unit. */
function expectedLines(stacks: Array<{ frames: string[]; value: number }>): string[] {
  const sums = new Map<string, number>();
  for (const { frames, value } of stacks) {
    const stack = frames.join(";");
    sums.set(stack, (sums.get(stack) ?? 0) + value);
  }
  return sortedFoldedLines(sums);
}

function treeOf(stacks: Array<{ frames: string[]; value: number }>): StackTree {
  const tree = new StackTree();
  for (const { frames, value } of stacks) tree.add(frames, value);
  return tree;
}

test("folded lines are the stacks sorted by code unit, for names that are prefixes of each other", () => {
  const random = new Random(11);
  for (let round = 0; round < 200; round++) {
    const stacks = randomStacks(random, random.int(1, 60), TRICKY_NAMES);
    assert.deepEqual(foldedLines(treeOf(stacks)), expectedLines(stacks), `round ${round}`);
  }
});

test("folded lines keep the order of whole stacks when a name holds a ';'", () => {
  // "a;b" as one name and "a", "b" as two frames print the same stack text; the lines still sort as text.
  const random = new Random(12);
  for (let round = 0; round < 50; round++) {
    const stacks = randomStacks(random, random.int(1, 30), ["a", "a;b", "b", "a;", ";"]);
    const lines = foldedLines(treeOf(stacks));
    const sorted = [...lines].sort((x, y) => {
      const [a, b] = [x.slice(0, x.lastIndexOf(" ")), y.slice(0, y.lastIndexOf(" "))];
      return a < b ? -1 : a > b ? 1 : 0;
    });
    assert.deepEqual(lines, sorted, `round ${round}`);
  }
});

test("a flame chart's repeated stacks are written one line each, in order", () => {
  const tree = new StackTree(1, "adjacent");
  tree.add(["main", "b"], 1);
  tree.add(["main", "a"], 2);
  tree.add(["main", "b"], 3);
  assert.deepEqual(foldedLines(tree), ["main;a 2", "main;b 1", "main;b 3"]);
});

test("folded chunks end with whole lines, however long a line is", () => {
  const random = new Random(13);
  const deep = Array.from({ length: 30000 }, (_, i) => `frame${i % 97}`);
  const names = Array.from({ length: 1000 }, (_, i) => `function_${i}`);
  const stacks = [...randomStacks(random, 40000, names), { frames: deep, value: 1 }];
  // A chunk is valid until the next is asked for (the writer fills the same buffer again): copied as it comes.
  const chunks = Array.from(foldedChunks(treeOf(stacks)), (chunk) => Buffer.from(chunk));
  assert.ok(chunks.length > 2, `${chunks.length} chunks`);
  for (const chunk of chunks) assert.equal(chunk[chunk.length - 1], 10);
  const text = Buffer.concat(chunks).toString("utf8");
  assert.deepEqual(text.slice(0, -1).split("\n"), expectedLines(stacks));
});
