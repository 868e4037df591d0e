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
 * function, which is how recursion is counted once; the walk is iterative,
 * as deep stacks would overflow a recursive one.
 */
export function functionStats(tree: StackTree, nameOf: (frameName: string) => string = (name) => name): FunctionStat[] {
  const { functions, functionOfName } = functionIndex(tree, nameOf);
  const zero = tree.hasExactValues ? 0n : 0;
  const stats: FunctionStat[] = functions.map((name) => ({ name, self: zero, total: zero }));
  const totals = tree.exactTotals();
  const onPath = new Int32Array(stats.length);
  // Node ids to enter, and ~id (negative) to leave: the root (0) is never pushed.
  // Children are pushed straight from the tree's links: an array per node would cost more than the walk.
  const pending: number[] = [];
  for (let child = tree.firstChild(tree.root); child !== -1; child = tree.nextSibling(child)) pending.push(child);
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (item < 0) {
      onPath[functionOfName[tree.nameIdOf(~item)]]--;
      continue;
    }
    const stat = functionOfName[tree.nameIdOf(item)];
    stats[stat].self = plus(stats[stat].self, tree.exactSelf(item));
    if (onPath[stat]++ === 0) stats[stat].total = plus(stats[stat].total, totals[item]);
    pending.push(~item);
    for (let child = tree.firstChild(item); child !== -1; child = tree.nextSibling(child)) pending.push(child);
  }
  return stats.filter((stat) => stat.total !== zero);
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
