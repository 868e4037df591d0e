import { functionStats, sortFunctions, type FunctionOrder } from "../model/functions.js";
import type { Profile } from "../model/profile.js";
import { plus, scaledBy, type Value } from "../model/value.js";
import { formatValue, percent, scaledValue, withThousands } from "../svg/format.js";
import { shownName } from "../svg/text.js";

export interface TopOptions {
  /** How many functions to list. */
  count: number;
  order: FunctionOrder;
  /** Values multiplied by this, as in titles (--factor). */
  factor: number;
  unit: string;
  countName: string;
}

const HEADINGS = ["flat", "flat%", "sum%", "cum", "cum%"];

/**
 * `go tool pprof -top` for a torch profile: the top functions with their self
 * ("flat") and total ("cum") values and shares, and the running sum of the
 * flat shares, as right-aligned columns followed by the name.
 */
export function topLines(profile: Profile, options: TopOptions): string[] {
  const stats = sortFunctions(functionStats(profile.tree, shownName), options.order);
  const total = profile.tree.exactTotals()[profile.tree.root];
  const value = (v: Value) => {
    const scaled = scaledBy(v, options.factor);
    return scaledValue(scaled, options.unit) ?? withThousands(scaled);
  };
  const shown = stats.slice(0, options.count);
  let sum: Value = profile.tree.hasExactValues ? 0n : 0;
  const rows = shown.map((stat) => {
    sum = plus(sum, stat.self);
    return [value(stat.self), `${percent(stat.self, total)}%`, `${percent(sum, total)}%`, value(stat.total), `${percent(stat.total, total)}%`, stat.name];
  });
  const widths = HEADINGS.map((heading, column) => rows.reduce((width, row) => Math.max(width, row[column].length), heading.length));
  // Two spaces before the name, as pprof: names may start with anything.
  const line = (cells: string[]) => `${widths.map((width, column) => cells[column].padStart(width)).join(" ")}  ${cells[5] ?? ""}`.trimEnd();
  return [
    `Type: ${profile.sampleType}`,
    `Showing ${shown.length} of ${stats.length} functions, ${formatValue(scaledBy(sum, options.factor), options.unit, options.countName)} ` +
      `(${percent(sum, total)}%) of ${formatValue(scaledBy(total, options.factor), options.unit, options.countName)} total, sorted by ${options.order}`,
    line(HEADINGS),
    ...rows.map(line),
  ];
}
