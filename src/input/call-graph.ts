import type { StackTree } from "../model/stack-tree.js";

/**
 * A call graph with costs, as callgrind writes it: each function's own (self)
 * cost and, per call edge, the inclusive cost of the calls. It has no stacks,
 * so `addCallGraphStacks` makes them.
 */
export class CallGraph {
  readonly names: string[] = [];
  readonly self: number[] = [];
  /** Per caller: callee -> inclusive cost of its calls. */
  readonly callees: Map<number, number>[] = [];

  addFunction(name: string): number {
    this.names.push(name);
    this.self.push(0);
    this.callees.push(new Map());
    return this.names.length - 1;
  }

  addCall(caller: number, callee: number, cost: number): void {
    const callees = this.callees[caller];
    callees.set(callee, (callees.get(callee) ?? 0) + cost);
  }
}

/** Paths whose flow is below this share of the whole graph's cost are not followed (a function's first path always is). */
const PRUNE_SHARE = 1e-5;

/**
 * Turns the call graph into stacks, as gprof-style tools draw call graphs:
 * walks every path from the root functions (those nobody calls), where a
 * function's callers each take the share of it that their calls' inclusive
 * cost has of all calls to it, and never enters a function already on the
 * path (recursion is cut there). Each function's self cost is then split over
 * the paths that reach it by those shares, in whole units, so every
 * function's self total is exactly the graph's (see `apportion`). Inclusive totals are exact
 * for a function whose callees are called from it alone; elsewhere they are
 * the proportional estimate. Functions only reachable through a cycle start
 * paths of their own.
 */
export function addCallGraphStacks(graph: CallGraph, tree: StackTree, checkDeadline: () => void = () => {}): void {
  const count = graph.names.length;
  const incoming = new Float64Array(count);
  graph.callees.forEach((callees, caller) => {
    for (const [callee, cost] of callees) if (callee !== caller) incoming[callee] += cost;
  });
  const total = graph.self.reduce((sum, value) => sum + value, 0);
  const minFlow = total * PRUNE_SHARE;

  // The paths walked, as a trie: each entry is a function and its parent entry.
  const pathFunction: number[] = [];
  const pathParent: number[] = [];
  /** Per function, the paths that reach it and each one's share of the function. */
  const reaches: Array<Array<{ path: number; share: number }>> = Array.from({ length: count }, () => []);
  const onPath = new Uint8Array(count);

  const walkFrom = (root: number) => {
    const enter = (fn: number, parent: number, share: number) => {
      const path = pathFunction.push(fn) - 1;
      pathParent.push(parent);
      reaches[fn].push({ path, share });
      onPath[fn] = 1;
      return { path, fn, share, callees: graph.callees[fn].entries() };
    };
    const stack = [enter(root, -1, 1)];
    let steps = 0;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const next = top.callees.next();
      if (next.done) {
        onPath[top.fn] = 0;
        stack.pop();
        continue;
      }
      const [callee, cost] = next.value;
      if (onPath[callee] || incoming[callee] === 0) continue;
      const share = (top.share * cost) / incoming[callee];
      if (share * incoming[callee] < minFlow && reaches[callee].length > 0) continue;
      if (++steps % 4096 === 0) checkDeadline();
      stack.push(enter(callee, top.path, share));
    }
  };
  for (let fn = 0; fn < count; fn++) if (incoming[fn] === 0) walkFrom(fn);
  for (let fn = 0; fn < count; fn++) if (reaches[fn].length === 0 && graph.self[fn] !== 0) walkFrom(fn);

  const frames: number[] = [];
  const nameIds = graph.names.map((name) => tree.intern(name));
  reaches.forEach((paths, fn) => {
    if (graph.self[fn] === 0) return;
    const parts = apportion(graph.self[fn], paths.map(({ share }) => share));
    paths.forEach(({ path }, index) => {
      if (parts[index] === 0) return;
      frames.length = 0;
      for (let p = path; p !== -1; p = pathParent[p]) frames.push(nameIds[pathFunction[p]]);
      tree.addIdsLeafFirst(frames, parts[index]);
    });
  });
}

/**
 * Splits `value` in proportion to `weights`. Whole numbers stay whole: each
 * part is the step between rounded running totals, so the parts add up to
 * `value` exactly.
 */
function apportion(value: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const whole = Number.isSafeInteger(value);
  let running = 0;
  let before = 0;
  return weights.map((weight, index) => {
    running += sum > 0 ? weight : 1;
    const upTo = index === weights.length - 1 ? value : (value * running) / (sum > 0 ? sum : weights.length);
    const rounded = whole ? Math.round(upTo) : upTo;
    const part = rounded - before;
    before = rounded;
    return part;
  });
}
