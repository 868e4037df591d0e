/**
 * The callers and callees of one function, merged from the frames of the
 * full graph (speedscope's "sandwich", pprof's peek): every stack that holds
 * the function counts once on each side. Callees are merged from the
 * function's outermost frames down, callers from its innermost frames up,
 * so both sides add up to the function's total even through recursion.
 */
import type { ViewerFrame } from "./viewer-api.js";

export interface SandwichNode {
  name: string;
  value: number;
  /** Row offset from the function: negative above it (callers), positive below (callees). */
  row: number;
  /** Index of the parent node (towards the function), -1 for the function itself. */
  parent: number;
  /** Start in value units, from the left edge of the function's frame. */
  start: number;
  /** One past the last node of this node's subtree (nodes are in pre-order per side). */
  end: number;
}

interface Merged {
  name: string;
  value: number;
  children: Map<string, Merged>;
}

function merged(name: string): Merged {
  return { name, value: 0, children: new Map() };
}

function childOf(node: Merged, name: string): Merged {
  let child = node.children.get(name);
  if (!child) node.children.set(name, (child = merged(name)));
  return child;
}

/**
 * The sandwich of `name` as nodes in pre-order: the function first, then its
 * callers (each side sorted by name, as the full graph), then its callees.
 * Nodes worth less than `minValue` are left out with their subtrees.
 */
export function sandwich(frames: readonly ViewerFrame[], name: string, minValue: number): SandwichNode[] {
  const callers = merged(name);
  const callees = merged(name);
  // Weight of each frame of the function as the innermost one of its stacks: its value less its nearest nested frames of the same function.
  const innermostWeight = new Map<number, number>();
  const open: number[] = [];
  const mergedOf = new Map<number, Merged>();
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    while (open.length > 0 && frames[open[open.length - 1]].end <= i) open.pop();
    const parentMerged = frame.parent >= 0 ? mergedOf.get(frame.parent) : undefined;
    if (frame.name === name) {
      if (open.length > 0) {
        const enclosing = open[open.length - 1];
        innermostWeight.set(enclosing, innermostWeight.get(enclosing)! - frame.value);
      } else {
        callees.value += frame.value;
        mergedOf.set(i, callees);
      }
      open.push(i);
      innermostWeight.set(i, frame.value);
    }
    if (parentMerged && !mergedOf.has(i)) {
      const child = childOf(parentMerged, frame.name);
      child.value += frame.value;
      mergedOf.set(i, child);
    }
  }
  for (const [i, weight] of innermostWeight) {
    if (weight <= 0) continue;
    callers.value += weight;
    let node = callers;
    // Up to, not including, the root frame ("all").
    for (let a = frames[i].parent; a > 0; a = frames[a].parent) {
      node = childOf(node, frames[a].name);
      node.value += weight;
    }
  }
  const nodes: SandwichNode[] = [{ name, value: callees.value, row: 0, parent: -1, start: 0, end: 0 }];
  flatten(callers, -1, nodes, minValue);
  flatten(callees, 1, nodes, minValue);
  nodes[0].end = nodes.length;
  return nodes;
}

/** Appends the descendants of `root` (the function) in pre-order, laid out left to right by name. */
function flatten(root: Merged, direction: 1 | -1, nodes: SandwichNode[], minValue: number): void {
  const pending: Array<{ node: Merged; parent: number; row: number; start: number }> = [];
  const pushChildren = (node: Merged, parent: number, row: number, start: number) => {
    const children = Array.from(node.children.values()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let x = start;
    const entries = children.map((child) => {
      const entry = { node: child, parent, row: row + direction, start: x };
      x += child.value;
      return entry;
    });
    for (let k = entries.length - 1; k >= 0; k--) if (entries[k].node.value >= minValue) pending.push(entries[k]);
  };
  const openNodes: number[] = [];
  pushChildren(root, 0, 0, 0);
  while (pending.length > 0) {
    const { node, parent, row, start } = pending.pop()!;
    while (openNodes.length > 0 && nodes[openNodes[openNodes.length - 1]].row * direction >= row * direction) nodes[openNodes.pop()!].end = nodes.length;
    const index = nodes.length;
    nodes.push({ name: node.name, value: node.value, row, parent, start, end: 0 });
    openNodes.push(index);
    pushChildren(node, index, row, start);
  }
  for (const index of openNodes) nodes[index].end = nodes.length;
}
