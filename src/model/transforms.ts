import { StackTree } from "./stack-tree.js";

/**
 * Rebuilds `source`'s stacks into a new tree, passing each stack (frame names,
 * root first) through `rewrite`, which returns the stack to add or undefined
 * to drop it. The basis of --reverse, merging and the focus/ignore filters.
 */
export function rebuild(
  source: StackTree,
  rewrite: (frames: string[]) => string[] | undefined,
  target: StackTree = new StackTree(source.channels, source.mergeMode),
): StackTree {
  for (const node of source.leaves()) {
    const frames = rewrite(source.stackOf(node));
    if (frames === undefined) continue;
    for (let channel = 0; channel < source.channels; channel++) {
      const value = source.exactSelf(node, channel);
      if (value !== 0 && value !== 0n) target.add(frames, value, channel);
    }
  }
  return target;
}

/** flamegraph.pl --reverse: every stack leaf first, so callers of hot leaves merge. */
export function reverseStacks(tree: StackTree): StackTree {
  return rebuild(tree, (frames) => frames.reverse());
}

/** Adds every stack of `sources` into one tree (several profiles of one kind). */
export function mergeTrees(sources: readonly StackTree[]): StackTree {
  if (sources.length === 1) return sources[0];
  const target = new StackTree(sources[0].channels, sources[0].mergeMode);
  for (const source of sources) rebuild(source, (frames) => frames, target);
  return target;
}
