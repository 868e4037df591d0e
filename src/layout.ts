import { FRAME_GAP, paddings, type FlameGraphOptions } from "./drawing-options.js";
import type { StackTree } from "./model/stack-tree.js";

/** The drawing options that decide where frames go. */
export type LayoutOptions = Pick<
  FlameGraphOptions,
  "width" | "frameHeight" | "minWidth" | "minWidthIsPercent" | "inverted" | "total" | "flameChart" | "fontSize" | "subtitle"
>;

/** The rectangles to draw, parents before children, as parallel arrays. */
export interface FlameLayout {
  count: number;
  node: Int32Array;
  depth: Int32Array;
  /** Where each frame starts, in value units from the left edge. */
  start: Float64Array;
  x: Float64Array;
  y: Float64Array;
  width: Float64Array;
  /** Inclusive value of every tree node, indexed by node (not by frame). */
  totals: Float64Array;
  /** The value the full width stands for. */
  scaleTotal: number;
  depthMax: number;
  imageHeight: number;
  frameHeight: number;
}

/**
 * Lays a tree out by flamegraph.pl's rules: widths proportional to inclusive
 * value; siblings in the order flamegraph.pl's sorted input gives them, with a
 * node's own (self) value occupying the left of its span; frames narrower than
 * the minimum width dropped together with their descendants.
 */
export function layoutFlameGraph(tree: StackTree, options: LayoutOptions): FlameLayout {
  const totals = tree.totals(0);
  const realTotal = totals[tree.root];
  const scaleTotal = Math.max(realTotal, options.total ?? 0);
  const { padTop, padBottom, padSide } = paddings(options, tree.channels === 2);
  const usable = options.width - 2 * padSide;
  const pxPerValue = scaleTotal > 0 ? usable / scaleTotal : 0;
  const minValue = options.minWidthIsPercent ? (scaleTotal * options.minWidth) / 100 : pxPerValue > 0 ? options.minWidth / pxPerValue : Infinity;

  const kept: number[] = [];
  const startOf = new Float64Array(tree.nodeCount);
  const depths = tree.depths();
  let depthMax = 0;
  const pending = [tree.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node !== tree.root && totals[node] < minValue) continue;
    if (node === tree.root && realTotal <= 0) continue;
    kept.push(node);
    if (depths[node] > depthMax) depthMax = depths[node];
    const children = options.flameChart ? tree.children(node) : sortedChildren(tree, node);
    let start = startOf[node] + Math.max(tree.self(node), 0);
    for (const child of children) {
      startOf[child] = start;
      start += totals[child];
    }
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }

  // As in flamegraph.pl, the root frame stands for the whole scale, so with
  // --total it spans the full width and reports that total.
  totals[tree.root] = scaleTotal;
  const count = kept.length;
  const imageHeight = (depthMax + 1) * options.frameHeight + padTop + padBottom;
  const layout: FlameLayout = {
    count,
    node: Int32Array.from(kept),
    depth: new Int32Array(count),
    start: new Float64Array(count),
    x: new Float64Array(count),
    y: new Float64Array(count),
    width: new Float64Array(count),
    totals,
    scaleTotal,
    depthMax,
    imageHeight,
    frameHeight: options.frameHeight,
  };
  for (let i = 0; i < count; i++) {
    const node = kept[i];
    const depth = depths[node];
    layout.depth[i] = depth;
    layout.start[i] = startOf[node];
    layout.x[i] = padSide + startOf[node] * pxPerValue;
    layout.width[i] = totals[node] * pxPerValue;
    layout.y[i] = options.inverted
      ? padTop + depth * options.frameHeight
      : imageHeight - padBottom - (depth + 1) * options.frameHeight + FRAME_GAP;
  }
  return layout;
}

/**
 * flamegraph.pl sorts its input lines and lays frames out in that order, so a
 * sibling's position is that of its first line: its name followed by " " when
 * it has a line of its own (self value) or ";" when only deeper lines exist.
 * Comparing names by code unit and breaking prefix ties on that terminator
 * reproduces the order exactly.
 */
function sortedChildren(tree: StackTree, node: number): number[] {
  const children = tree.children(node);
  if (children.length < 2) return children;
  const keys = new Map<number, string>();
  for (const child of children) keys.set(child, tree.nameOfNode(child) + (hasSelf(tree, child) ? " " : ";"));
  return children.sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

function hasSelf(tree: StackTree, node: number): boolean {
  for (let channel = 0; channel < tree.channels; channel++) if (tree.self(node, channel) !== 0) return true;
  return false;
}
