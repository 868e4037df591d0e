import type { StackTree } from "./stack-tree.js";
import { plus, type Value } from "./value.js";

/** One function (frame name) summed over the whole profile, as pprof's `top` shows it. */
export interface FunctionStat {
  name: string;
  /** Value of the stacks that end in this function ("flat"). */
  self: Value;
  /** Value of the stacks that hold this function anywhere, each stack once however often it recurs ("cum"). */
  total: Value;
}

export type FunctionOrder = "self" | "total" | "name";

/**
 * Self and total value of every function in `tree` (channel 0: the drawn
 * value). `nameOf` maps a frame name to the function it is counted as, so
 * that names that display the same (`foo_[k]` and `foo`) are one function.
 * A frame adds to its function's total only when no ancestor has the same
 * function, which is how recursion is counted once. `totals` are the tree's
 * exact totals, which a caller that has them already passes (the root's is
 * not read, so one raised to --total will do).
 */
export function functionStats(
  tree: StackTree,
  nameOf: (frameName: string) => string = (name) => name,
  totals: ArrayLike<Value> = tree.exactTotals(),
): FunctionStat[] {
  const { functions, functionOfName } = functionIndex(tree, nameOf);
  let self: ArrayLike<Value>;
  let total: ArrayLike<Value>;
  if (tree.hasExactValues) {
    const exactSelf: Value[] = functions.map(() => 0n);
    const exactTotal: Value[] = functions.map(() => 0n);
    forEachFrame(tree, functionOfName, functions.length, (node, fn, outermost) => {
      exactSelf[fn] = plus(exactSelf[fn], tree.exactSelf(node));
      if (outermost) exactTotal[fn] = plus(exactTotal[fn], totals[node]);
    });
    [self, total] = [exactSelf, exactTotal];
  } else {
    // Doubles, summed in typed arrays: a large tree has a million frames.
    const doubleTotals = totals as ArrayLike<number>;
    const doubleSelf = new Float64Array(functions.length);
    const doubleTotal = new Float64Array(functions.length);
    forEachFrame(tree, functionOfName, functions.length, (node, fn, outermost) => {
      doubleSelf[fn] += tree.self(node);
      if (outermost) doubleTotal[fn] += doubleTotals[node];
    });
    [self, total] = [doubleSelf, doubleTotal];
  }
  const zero = tree.hasExactValues ? 0n : 0;
  const stats: FunctionStat[] = [];
  for (let fn = 0; fn < functions.length; fn++) {
    if (total[fn] !== zero) stats.push({ name: functions[fn], self: self[fn], total: total[fn] });
  }
  return stats;
}

/**
 * Calls `visit` for every frame but the root with its function and whether
 * it is that function's outermost frame on its stack. The walk follows the
 * tree's own links (child, sibling, parent), so it needs no stack however
 * deep the tree is and allocates nothing per node.
 */
function forEachFrame(
  tree: StackTree,
  functionOfName: readonly number[],
  functionCount: number,
  visit: (node: number, fn: number, outermost: boolean) => void,
): void {
  const onPath = new Int32Array(functionCount);
  let node = tree.firstChild(tree.root);
  while (node !== -1) {
    const fn = functionOfName[tree.nameIdOf(node)];
    visit(node, fn, onPath[fn]++ === 0);
    const child = tree.firstChild(node);
    if (child !== -1) {
      node = child;
      continue;
    }
    // Leave the node, and each ancestor whose last child it was, until a sibling is next.
    for (;;) {
      onPath[functionOfName[tree.nameIdOf(node)]]--;
      const sibling = tree.nextSibling(node);
      if (sibling !== -1) {
        node = sibling;
        break;
      }
      node = tree.parent(node);
      if (node === tree.root) {
        node = -1;
        break;
      }
    }
  }
}

/** The distinct functions of a tree's frame names, and per interned name id the index of its function. */
export function functionIndex(tree: StackTree, nameOf: (frameName: string) => string): { functions: string[]; functionOfName: number[] } {
  const ids = new Map<string, number>();
  const functions: string[] = [];
  const functionOfName = tree.names.map((frameName) => {
    const name = nameOf(frameName);
    let id = ids.get(name);
    if (id === undefined) {
      id = functions.length;
      ids.set(name, id);
      functions.push(name);
    }
    return id;
  });
  return { functions, functionOfName };
}

/** pprof's orders: by self (flat) or total (cum), larger first, ties broken by the other value and then by name. */
export function sortFunctions(stats: FunctionStat[], order: FunctionOrder): FunctionStat[] {
  const ascending = <T extends Value | string>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);
  const byName = (a: FunctionStat, b: FunctionStat) => ascending(a.name, b.name);
  const compare: Record<FunctionOrder, (a: FunctionStat, b: FunctionStat) => number> = {
    self: (a, b) => ascending(b.self, a.self) || ascending(b.total, a.total) || byName(a, b),
    total: (a, b) => ascending(b.total, a.total) || ascending(b.self, a.self) || byName(a, b),
    name: byName,
  };
  return [...stats].sort(compare[order]);
}
