import { InputError, type ProfileMeta } from "../model/profile.js";
import type { CallTreeRow } from "./csv-call-tree.js";
import type { ProfileReader, ReadContext } from "./reader.js";

/**
 * Intel VTune's top-down report as CSV (`vtune -report top-down -format csv`,
 * comma separated unless `-csv-delimiter` names another): one row per call tree node,
 * depth-first, the `Function Stack` column indented by one space per level
 * below the `Total` row that heads the tree, then each metric's `:Total`
 * (with callees) and `:Self` columns. A node's own value is its `:Self`
 * column, `CPU Time:Self` where there is one; the `Total` row is the report's
 * sum, not a frame. The CSV itself is read by csv-call-tree.ts, loaded only
 * when a file is read.
 */

const FUNCTION_STACK = "Function Stack";
const SELF = /:Self$/i;

export const vtuneCsvReader: ProfileReader = {
  name: "vtune-csv",
  detect: (head) => {
    const header = (head.lines[0] ?? "").replace(/^\uFEFF/, "");
    return /^"?Function Stack"?[,\t;]/.test(header) && /:Self"?([,\t;]|$)/i.test(header);
  },
  read: readVtuneCsv,
};

async function readVtuneCsv(input: AsyncIterable<Uint8Array>, { source, tree, checkDeadline }: ReadContext): Promise<ProfileMeta> {
  const { readCsvTable, columnOf, parseValue, addCallTreeRows } = await import("./csv-call-tree.js");
  const [header, ...records] = await readCsvTable(input, source);
  const cells = header?.cells ?? [];
  const self = [columnOf(cells, /^CPU Time:Self$/i), columnOf(cells, SELF)].find((index) => index !== -1);
  if (cells[0]?.trim() !== FUNCTION_STACK || self === undefined) {
    throw new InputError(source, `not a VTune top-down report: the header needs "${FUNCTION_STACK}" first and a ":Self" column`);
  }
  const selfColumn: number = self;
  const column = cells[self].trim();
  let frames = 0;
  function* rows(): Generator<CallTreeRow> {
    for (const { cells: row, line } of records) {
      const stack = row[0];
      const name = stack.trim();
      if (name === "") throw new InputError(source, `line ${line}: no function in "${FUNCTION_STACK}"`);
      const depth = stack.length - stack.trimStart().length;
      // The unindented "Total" row sums the whole report: its callees are the roots.
      if (depth === 0 && name === "Total") continue;
      frames++;
      yield { depth, name, self: parseValue(row[selfColumn], source, line, column) };
    }
  }
  addCallTreeRows(tree, rows(), checkDeadline);
  if (frames === 0) throw new InputError(source, "the report has no rows");
  const metric = column.replace(SELF, "");
  return /time/i.test(metric) ? { sampleType: metric, unit: "seconds" } : { sampleType: metric, unit: "count" };
}
