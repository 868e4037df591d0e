import { InputError, type ProfileMeta } from "../model/profile.js";
import type { CallTreeRow } from "./csv-call-tree.js";
import type { ProfileReader, ReadContext } from "./reader.js";

/**
 * Visual Studio's call tree exported as CSV (VSPerfReport `/Summary:CallTree`
 * writes `<name>_CallTreeSummary.csv`; the Performance Profiler exports the
 * same table): one row per call tree node, depth-first, its depth in the
 * `Level` column, its name in `Function Name`, and its samples with
 * (`Inclusive Samples`) and without (`Exclusive Samples`) its callees; newer
 * versions name them `Total CPU` and `Self CPU`. A node's own value is its
 * exclusive column. The CSV itself is read by csv-call-tree.ts, loaded only
 * when a file is read.
 */

const LEVEL = /^Level$/i;
const FUNCTION_NAME = /^Function Name$/i;
const EXCLUSIVE = /^(Exclusive Samples|Self CPU\b.*)$/i;

export const vsCallTreeReader: ProfileReader = {
  name: "vs-calltree",
  detect: (head) => {
    const header = headerCells(head.lines[0] ?? "");
    return header.some((cell) => LEVEL.test(cell)) && header.some((cell) => FUNCTION_NAME.test(cell)) && header.some((cell) => EXCLUSIVE.test(cell));
  },
  read: readVsCallTree,
};

/** The header's cells, closely enough for detection: names there hold no commas. */
function headerCells(line: string): string[] {
  return line
    .replace(/^\uFEFF/, "")
    .split(/[,\t;]/)
    .map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
}

async function readVsCallTree(input: AsyncIterable<Uint8Array>, { source, tree, checkDeadline }: ReadContext): Promise<ProfileMeta> {
  const { readCsvTable, columnOf, parseValue, addCallTreeRows } = await import("./csv-call-tree.js");
  const [header, ...records] = await readCsvTable(input, source);
  const cells = header?.cells ?? [];
  const level = columnOf(cells, LEVEL);
  const name = columnOf(cells, FUNCTION_NAME);
  const exclusive = columnOf(cells, EXCLUSIVE);
  if (level === -1 || name === -1 || exclusive === -1) {
    throw new InputError(source, "not a Visual Studio call tree: the header needs Level, Function Name and Exclusive Samples (or Self CPU) columns");
  }
  const column = cells[exclusive].trim();
  let frames = 0;
  function* rows(): Generator<CallTreeRow> {
    for (const { cells: row, line } of records) {
      const depth = Number(row[level]);
      if (!Number.isSafeInteger(depth) || depth < 0 || row[level].trim() === "") throw new InputError(source, `line ${line}: Level ${JSON.stringify(row[level] ?? "")} is not a depth`);
      const frame = row[name]?.trim();
      if (!frame) throw new InputError(source, `line ${line}: no Function Name`);
      frames++;
      yield { depth, name: frame, self: parseValue(row[exclusive], source, line, column) };
    }
  }
  addCallTreeRows(tree, rows(), checkDeadline);
  if (frames === 0) throw new InputError(source, "the call tree has no rows");
  return /\bms\b/i.test(column) ? { sampleType: "cpu", unit: "milliseconds" } : { sampleType: "samples", unit: "samples" };
}
