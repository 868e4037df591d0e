/** Frame geometry on inputs small enough to compute by hand. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_OPTIONS, FRAME_GAP, layoutFlameGraph, type LayoutOptions, paddings, StackTree } from "torch-flamegraph";

const OPTIONS = DEFAULT_OPTIONS;
/** The default geometry: 1200 px wide with 10 px margins (1180 usable), 16 px rows, 36 px above and 34 px below. */
const { width: WIDTH, frameHeight: ROW } = DEFAULT_OPTIONS;
const { padTop: TOP, padBottom: BOTTOM, padSide: SIDE } = paddings(DEFAULT_OPTIONS);
const USABLE = WIDTH - 2 * SIDE;

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
  // total 8 over the usable width: USABLE / 8 px per sample; depth 2 -> 3 rows between the paddings
  const frames = geometry(treeOf({ "d;e": 4, "a;c": 3, "a;b": 1 }));
  const perSample = USABLE / 8;
  const rowY = (depth: number) => 3 * ROW + TOP - (depth + 1) * ROW + FRAME_GAP;
  assert.deepEqual(frames, {
    all: [SIDE, USABLE, rowY(0)],
    a: [SIDE, 4 * perSample, rowY(1)],
    b: [SIDE, perSample, rowY(2)],
    c: [SIDE + perSample, 3 * perSample, rowY(2)],
    d: [SIDE + 4 * perSample, 4 * perSample, rowY(1)],
    e: [SIDE + 4 * perSample, 4 * perSample, rowY(2)],
  });
});

test("a frame's own value sits to the left of its children, as in flamegraph.pl", () => {
  // a has 2 self + child b 2: b starts half-way through a
  const frames = geometry(treeOf({ a: 2, "a;b": 2 }));
  assert.deepEqual(frames.b.slice(0, 2), [SIDE + USABLE / 2, USABLE / 2]);
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
  // 1180 px / 1000 samples: 'thin' is 1.18 px wide; minwidth 2 px drops it and its children.
  const tree = treeOf({ "big;deep;deeper": 999, "thin;t2;t3;t4": 1 });
  const layout = layoutFlameGraph(tree, { ...OPTIONS, minWidth: 2 });
  const names = Array.from(layout.node, (n) => tree.nameOfNode(n));
  assert.deepEqual(names, ["all", "big", "deep", "deeper"]);
  assert.equal(layout.depthMax, 3);
  assert.equal(layout.imageHeight, 4 * ROW + TOP + BOTTOM);
  // as a percentage: 0.1% of 1000 samples = 1 sample; 'thin' (1 sample) is kept
  const percent = layoutFlameGraph(tree, { ...OPTIONS, minWidth: 0.1, minWidthIsPercent: true });
  assert.equal(percent.count, 8);
});

test("inverted graphs put the root at the top", () => {
  const frames = geometry(treeOf({ "a;b": 1 }), { inverted: true });
  assert.deepEqual([frames.all[2], frames.a[2], frames.b[2]], [TOP, TOP + ROW, TOP + 2 * ROW]);
});

test("--total scales as if the profile were larger; the root reports that total", () => {
  const tree = treeOf({ a: 10 });
  const layout = layoutFlameGraph(tree, { ...OPTIONS, total: 40 });
  assert.equal(layout.width[0], USABLE);
  assert.equal(layout.totals[tree.root], 40);
  assert.equal(layout.width[1], USABLE / 4);
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
