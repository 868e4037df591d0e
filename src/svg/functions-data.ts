import { functionStats, sortFunctions } from "../model/functions.js";
import type { StackTree } from "../model/stack-tree.js";
import type { Value } from "../model/value.js";
import { shownName } from "./text.js";

/**
 * The functions table's data, carried in the SVG as JSON text
 * (`[[name, self, total], ...]`, largest total first): exact values from the
 * whole tree, including functions whose frames are too narrow to draw.
 * Names are shown names, as the frames' titles have them. `totals` are the
 * tree's exact totals (see functionStats).
 */
export function functionsJson(tree: StackTree, totals: ArrayLike<Value>): string {
  const stats = sortFunctions(functionStats(tree, shownName, totals), "total");
  // Values are written as digits, not through JSON.stringify, which refuses bigints.
  return `[${stats.map((stat) => `[${JSON.stringify(stat.name)},${stat.self},${stat.total}]`).join(",")}]`;
}
