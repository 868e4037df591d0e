import type { Random } from "./prng.js";

/** Frame names: short lower-case words, distinct, 3 to 10 characters long. */
export function frameNames(random: Random, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    let name = "";
    const length = random.int(3, 10);
    while (name.length < length) name += String.fromCharCode(97 + random.int(0, 25));
    names.add(name);
  }
  return [...names];
}

/** How many recent stacks a new stack may branch off. */
const BRANCH_WINDOW = 1000;
/** The share of stacks that branch off far from the leaf (another thread, another request type). */
const FAR_BRANCHES = 0.05;

/**
 * `count` distinct stacks of name ids, root first, `minDepth` to `maxDepth`
 * frames deep. Like a real profile's, they form a tree with one root whose
 * stacks mostly differ near the leaf: each one branches off a recent stack a
 * few frames from its end, now and then much closer to the root.
 */
export function* distinctStacks(random: Random, count: number, nameCount: number, minDepth: number, maxDepth: number): Generator<number[]> {
  const seen = new Set<string>();
  const recent: number[][] = [];
  while (seen.size < count) {
    let stack: number[];
    let depth: number;
    if (recent.length === 0) {
      stack = [0];
      depth = random.int(minDepth, maxDepth);
    } else if (random.next() < FAR_BRANCHES) {
      const parent = random.pick(recent);
      stack = parent.slice(0, random.int(1, parent.length - 1));
      depth = random.int(minDepth, maxDepth);
    } else {
      const parent = random.pick(recent);
      stack = parent.slice(0, random.int(Math.max(1, parent.length - 4), parent.length - 1));
      depth = Math.min(maxDepth, Math.max(minDepth, stack.length + random.int(1, 4)));
    }
    stack.length = Math.min(stack.length, depth - 1);
    while (stack.length < depth) stack.push(random.int(0, nameCount - 1));
    const key = stack.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    if (recent.length < BRANCH_WINDOW) recent.push(stack);
    else recent[random.int(0, BRANCH_WINDOW - 1)] = stack;
    yield stack;
  }
}
