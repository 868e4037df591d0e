/** Collapsed stacks (`a;b;c 42` lines) as the tests read them: the one parser of torch's --folded output and of folded fixtures. */
import { readFileSync } from "node:fs";

export interface FoldedStack {
  frames: string[];
  count: number;
}

/** Parses collapsed stacks; names may contain spaces, the count follows the last one. Lines without a count are skipped. */
export function parseFolded(text: string): FoldedStack[] {
  const stacks: FoldedStack[] = [];
  for (const line of text.split("\n")) {
    const cut = line.lastIndexOf(" ");
    if (cut <= 0) continue;
    stacks.push({ frames: line.slice(0, cut).split(";"), count: Number(line.slice(cut + 1)) });
  }
  return stacks;
}

export function readFolded(path: string): FoldedStack[] {
  return parseFolded(readFileSync(path, "utf8"));
}

/** Collapsed stacks as `a;b;c` -> count. */
export function foldedMap(text: string): Map<string, number> {
  return new Map(parseFolded(text).map(({ frames, count }) => [frames.join(";"), count]));
}

/** Differences as `-` (expected only / expected value) and `+` (actual only / actual value) lines, for readable failures. */
export function stackDiff(expected: ReadonlyMap<string, number>, actual: ReadonlyMap<string, number>): string[] {
  const diff: string[] = [];
  for (const [stack, value] of expected) if (actual.get(stack) !== value) diff.push(`- ${stack} ${value}`);
  for (const [stack, value] of actual) if (expected.get(stack) !== value) diff.push(`+ ${stack} ${value}`);
  return diff;
}

/** `stack count` lines as stackcollapse writes them: one per stack, the stacks sorted by code unit. */
export function sortedFoldedLines(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((stack) => `${stack} ${counts.get(stack)}`);
}
