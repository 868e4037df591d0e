/** Frame geometry on inputs small enough to compute by hand. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { layoutFlameGraph, type LayoutOptions } from "../src/layout.js";
import { StackTree } from "../src/model/stack-tree.js";

const OPTIONS: LayoutOptions = { width: 1200, frameHeight: 16, minWidth: 0.1, padTop: 36, padBottom: 34, padSide: 10 };

function treeOf(lines: Record<string, number>): StackTree {
  const tree = new StackTree();
  for (const [stack, value] of Object.entries(lines)) tree.add(stack.split(";"), value);
  return tree;
}

/** name -> [x, width, y] of each drawn frame (names are unique in these inputs). */
function geometry(tree: StackTree, options: Partial<LayoutOptions> = {}): Record<string, [number, number, number]> {
  const layout = layoutFlameGraph(tree, { ...OPTIONS, ...options });
  const out: Record<string, [number, number, number]> = {};
  for (let i = 0; i < layout.count; i++) {
    out[tree.nameOfNode(layout.node[i])] = [layout.x[i], layout.width[i], layout.y[i]];
  }
  return out;
}

test("widths are proportional to inclusive values and siblings are sorted by name", () => {
  // total 8 over 1180 px: 147.5 px per sample; depth 2 -> image height 3*16+36+34 = 118
  const frames = geometry(treeOf({ "d;e": 4, "a;c": 3, "a;b": 1 }));
  assert.deepEqual(frames, {
    all: [10, 1180, 118 - 34 - 16 + 1],
    a: [10, 590, 118 - 34 - 32 + 1],
    b: [10, 147.5, 118 - 34 - 48 + 1],
    c: [157.5, 442.5, 118 - 34 - 48 + 1],
    d: [600, 590, 118 - 34 - 32 + 1],
    e: [600, 590, 118 - 34 - 48 + 1],
  });
});

test("a frame's own value sits to the left of its children, as in flamegraph.pl", () => {
  // a has 2 self + child b 2: b starts half-way through a
  const frames = geometry(treeOf({ a: 2, "a;b": 2 }));
  assert.deepEqual(frames.b.slice(0, 2), [10 + 590, 590]);
});

test("names that prefix each other sort as flamegraph.pl's sorted lines do", () => {
  // Lines sort as "x 1" < "x.y;z 1" < "x;q 1": ' ' < '.' < ';'. x has self, so x precedes x.y.
  const frames = geometry(treeOf({ "x;q": 1, x: 1, "x.y;z": 1 }));
  assert.ok(frames.x[0] < frames["x.y"][0]);
  // Without a self line, x's first line is "x;q", which sorts after "x.y;z".
  const noSelf = geometry(treeOf({ "x;q": 1, "x.y;z": 1 }));
  assert.ok(noSelf["x.y"][0] < noSelf.x[0]);
});

test("frames narrower than --minwidth are dropped with their descendants, and the height shrinks", () => {
  // 1180 px / 1000 samples: 'thin' is 1.18 px wide; minwidth 2 px drops it and its child.
  const tree = treeOf({ "big;deep;deeper": 999, "thin;t2;t3;t4": 1 });
  const layout = layoutFlameGraph(tree, { ...OPTIONS, minWidth: 2 });
  const names = Array.from(layout.node, (n) => tree.nameOfNode(n));
  assert.deepEqual(names, ["all", "big", "deep", "deeper"]);
  assert.equal(layout.depthMax, 3);
  assert.equal(layout.imageHeight, 4 * 16 + 36 + 34);
  // as a percentage: 0.1% of 1000 samples = 1 sample; 'thin' (1 sample) is kept
  const percent = layoutFlameGraph(tree, { ...OPTIONS, minWidth: 0.1, minWidthIsPercent: true });
  assert.equal(percent.count, 8);
});

test("inverted graphs put the root at the top", () => {
  const frames = geometry(treeOf({ "a;b": 1 }), { inverted: true });
  assert.deepEqual([frames.all[2], frames.a[2], frames.b[2]], [36, 52, 68]);
});

test("--total scales as if the profile were larger; the root reports that total", () => {
  const tree = treeOf({ a: 10 });
  const layout = layoutFlameGraph(tree, { ...OPTIONS, total: 40 });
  assert.equal(layout.width[0], 1180);
  assert.equal(layout.totals[tree.root], 40);
  assert.equal(layout.width[1], 1180 / 4);
});

test("frames come in depth-first pre-order so a subtree is contiguous", () => {
  const tree = treeOf({ "a;b;c": 1, "a;d": 1, e: 1 });
  const layout = layoutFlameGraph(tree, OPTIONS);
  assert.deepEqual(Array.from(layout.node, (n) => tree.nameOfNode(n)), ["all", "a", "b", "c", "d", "e"]);
  assert.deepEqual(Array.from(layout.depth), [0, 1, 2, 3, 2, 1]);
});

test("100,000-deep stacks lay out without recursion", () => {
  const frames = Array.from({ length: 100_000 }, (_, i) => `f${i}`);
  const tree = new StackTree();
  tree.add(frames, 1);
  const layout = layoutFlameGraph(tree, OPTIONS);
  assert.equal(layout.count, 100_001);
  assert.equal(layout.depthMax, 100_000);
});
