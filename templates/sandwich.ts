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
 * Nodes narrower than `minWidth` when the function spans `width` are left
 * out with their subtrees.
 */
export function sandwich(frames: readonly ViewerFrame[], name: string, minWidth: number, width: number): SandwichNode[] {
  const callers = merged(name);
  const callees = merged(name);
  // Weight of each frame of the function as the innermost one of its stacks: its value less its nearest nested frames of the same function.
  const functionFrames: number[] = [];
  const innermostWeight: number[] = [];
  const open: number[] = [];
  // The callee node each frame below an outermost frame of the function merges into.
  const mergedOf: (Merged | undefined)[] = new Array(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    while (open.length > 0 && frames[functionFrames[open[open.length - 1]]].end <= i) open.pop();
    if (frame.name === name) {
      if (open.length > 0) innermostWeight[open[open.length - 1]] -= frame.value;
      else {
        callees.value += frame.value;
        mergedOf[i] = callees;
      }
      open.push(functionFrames.length);
      functionFrames.push(i);
      innermostWeight.push(frame.value);
    }
    const parentMerged = frame.parent >= 0 ? mergedOf[frame.parent] : undefined;
    if (parentMerged && !mergedOf[i]) {
      const child = childOf(parentMerged, frame.name);
      child.value += frame.value;
      mergedOf[i] = child;
    }
  }
  functionFrames.forEach((i, k) => {
    const weight = innermostWeight[k];
    if (weight <= 0) return;
    callers.value += weight;
    let node = callers;
    // Up to, not including, the root frame ("all").
    for (let a = frames[i].parent; a > 0; a = frames[a].parent) {
      node = childOf(node, frames[a].name);
      node.value += weight;
    }
  });
  const nodes: SandwichNode[] = [{ name, value: callees.value, row: 0, parent: -1, start: 0, end: 0 }];
  const minValue = (minWidth * callees.value) / width;
  flatten(callers, -1, nodes, minValue);
  flatten(callees, 1, nodes, minValue);
  nodes[0].end = nodes.length;
  return nodes;
}

const byName = (a: Merged, b: Merged) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Appends the descendants of `root` (the function) in pre-order, laid out left to right by name. */
function flatten(root: Merged, direction: 1 | -1, nodes: SandwichNode[], minValue: number): void {
  const pending: Array<{ node: Merged; parent: number; row: number; start: number }> = [];
  const pushChildren = (node: Merged, parent: number, row: number, start: number) => {
    if (node.children.size === 0) return;
    const children = Array.from(node.children.values()).sort(byName);
    const starts: number[] = [];
    let x = start;
    for (const child of children) {
      starts.push(x);
      x += child.value;
    }
    for (let k = children.length - 1; k >= 0; k--) {
      if (children[k].value >= minValue) pending.push({ node: children[k], parent, row: row + direction, start: starts[k] });
    }
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
