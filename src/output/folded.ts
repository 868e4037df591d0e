import type { StackTree } from "../model/stack-tree.js";
import type { Value } from "../model/value.js";

/**
 * The collapsed ("folded") form of a tree: one `root;...;leaf count` line per
 * distinct stack with a non-zero value, sorted by code unit as
 * stackcollapse-*.pl sort their output. A two-channel (differential) tree
 * writes flamegraph.pl's `stack before after` form.
 */
export function foldedLines(tree: StackTree): string[] {
  const entries: Array<{ stack: string; counts: string }> = [];
  for (const node of tree.leaves()) {
    if (node === tree.root) continue;
    entries.push({
      stack: tree.stackOf(node).join(";"),
      counts:
        tree.channels === 2
          ? `${formatCount(tree.exactSelf(node, 1))} ${formatCount(tree.exactSelf(node, 0))}`
          : formatCount(tree.exactSelf(node)),
    });
  }
  entries.sort((a, b) => compareCodeUnits(a.stack, b.stack));
  return entries.map((e) => `${e.stack} ${e.counts}`);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Integers print without a fraction or exponent; fractional values keep what they need. */
function formatCount(value: Value): string {
  return typeof value === "number" && Number.isInteger(value) ? value.toFixed(0) : String(value);
}
