import { FRAME_GAP, paddings, type FlameGraphOptions } from "./drawing-options.js";
import { compareNameKeys } from "./model/key-order.js";
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

  // A walk parents first, children in drawing order, carrying each node's
  // depth and start: arrays per tree node would cost more than the walk when
  // only a few thousand of a million nodes are wide enough to draw.
  const kept: number[] = [];
  const keptDepth: number[] = [];
  const keptStart: number[] = [];
  const childStarts: number[] = [];
  let depthMax = 0;
  const pending: number[] = realTotal > 0 ? [tree.root, 0, 0] : [];
  while (pending.length > 0) {
    const nodeStart = pending.pop()!;
    const depth = pending.pop()!;
    const node = pending.pop()!;
    kept.push(node);
    keptDepth.push(depth);
    keptStart.push(nodeStart);
    if (depth > depthMax) depthMax = depth;
    const children = options.flameChart ? tree.children(node) : sortedChildren(tree, node);
    let start = nodeStart + Math.max(tree.self(node), 0);
    for (let i = 0; i < children.length; i++) {
      childStarts[i] = start;
      start += totals[children[i]];
    }
    for (let i = children.length - 1; i >= 0; i--) {
      if (!(totals[children[i]] < minValue)) pending.push(children[i], depth + 1, childStarts[i]);
    }
  }

  // As in flamegraph.pl, the root frame stands for the whole scale, so with
  // --total it spans the full width and reports that total.
  totals[tree.root] = scaleTotal;
  const count = kept.length;
  const imageHeight = (depthMax + 1) * options.frameHeight + padTop + padBottom;
  const layout: FlameLayout = {
    count,
    node: Int32Array.from(kept),
    depth: Int32Array.from(keptDepth),
    start: Float64Array.from(keptStart),
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
    const depth = keptDepth[i];
    layout.x[i] = padSide + keptStart[i] * pxPerValue;
    layout.width[i] = totals[kept[i]] * pxPerValue;
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
 * Comparing those keys by code unit reproduces the order exactly; they are
 * compared in place, as a node near the root can have thousands of children
 * and a string built per child is most of the sort's cost.
 */
function sortedChildren(tree: StackTree, node: number): number[] {
  const children = tree.children(node);
  if (children.length < 2) return children;
  return children.sort((a, b) => compareNameKeys(tree.nameOfNode(a), terminator(tree, a), tree.nameOfNode(b), terminator(tree, b)));
}

const SPACE = 32;
const SEMICOLON = 59;

/** The character after a node's name on its first folded line. */
function terminator(tree: StackTree, node: number): number {
  return tree.hasSelf(node) ? SPACE : SEMICOLON;
}
