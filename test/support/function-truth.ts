/**
 * What a profile's functions add up to, computed here from folded stacks
 * (`torch --folded`) independently of torch's own code: the truth for the
 * `--top` table, the SVG's functions table and its caller/callee view.
 */
import type { FoldedStack } from "./folded.js";

export interface FunctionTruth {
  self: number;
  total: number;
}

/** flamegraph.pl shows names without stackcollapse's `_[k]`-style annotations; every view does. */
export function shownFrameName(name: string): string {
  return name.replace(/_\[[kwij]\]$/, "");
}

/** Per function: the stacks ending in it (self) and the stacks holding it at all, each once (total). */
export function functionTruth(stacks: FoldedStack[]): Map<string, FunctionTruth> {
  const truth = new Map<string, FunctionTruth>();
  const entry = (name: string) => truth.get(name) ?? truth.set(name, { self: 0, total: 0 }).get(name)!;
  for (const { frames, count } of stacks) {
    const names = frames.map(shownFrameName);
    entry(names[names.length - 1]).self += count;
    for (const name of new Set(names)) entry(name).total += count;
  }
  return truth;
}

export const stackTotal = (stacks: FoldedStack[]) => stacks.reduce((sum, stack) => sum + stack.count, 0);

/** One row of torch's `--top` table, cells as printed. */
export interface TopRow {
  flat: string;
  flatPercent: string;
  sumPercent: string;
  cum: string;
  cumPercent: string;
  name: string;
}

/**
 * Reads the rows of a `--top` table. Columns are right-aligned under their
 * headings and values may hold a space (`1.24 s`), so cells are cut where
 * each heading ends; the name follows two spaces after the last column.
 */
export function parseTopTable(text: string): TopRow[] {
  const lines = text.split("\n").filter((line) => line !== "");
  const header = lines.findIndex((line) => /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%$/.test(line));
  if (header < 0) throw new Error(`no --top heading in:\n${text}`);
  const ends = Array.from(lines[header].matchAll(/\S+/g), (match) => match.index! + match[0].length);
  return lines.slice(header + 1).map((line) => {
    const cells = ends.map((end, i) => line.slice(i === 0 ? 0 : ends[i - 1], end).trim());
    assert2Spaces(line, ends[4]);
    return { flat: cells[0], flatPercent: cells[1], sumPercent: cells[2], cum: cells[3], cumPercent: cells[4], name: line.slice(ends[4] + 2) };
  });
}

function assert2Spaces(line: string, end: number): void {
  if (line.slice(end, end + 2) !== "  ") throw new Error(`--top row without two spaces before the name: ${JSON.stringify(line)}`);
}
