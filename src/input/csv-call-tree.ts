import { parse } from "csv-parse/sync";
import { InputError } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { parseCount, type Value } from "../model/value.js";
import { readAllText } from "./reader.js";

/**
 * The shared part of the readers of call trees exported as CSV (Visual
 * Studio's CallTreeSummary, VTune's top-down report): the table, parsed by
 * csv-parse (quoted names hold commas and quotes), and its rows, depth-first,
 * each a frame at some depth with its own (self/exclusive) value. Loaded only
 * when such a file is read.
 */

/** One row of the tree: its depth (a row's parent is the nearest row above it that is shallower), name and own value. */
export interface CallTreeRow {
  depth: number;
  name: string;
  self: Value;
}

/** One record of the table: its cells and the line it ends on. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * The table's records, the header first, a byte-order mark dropped. The
 * delimiter is the header's first comma, tab or semicolon (VTune's
 * `-csv-delimiter` writes any of them), so a name holding another one stays whole.
 */
export async function readCsvTable(input: AsyncIterable<Uint8Array>, source: string): Promise<CsvRecord[]> {
  const text = await readAllText(input, source, "CSV");
  try {
    const records = parse(text, { bom: true, delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map(({ record, info }) => ({ cells: record as string[], line: info.lines }));
  } catch (error) {
    throw new InputError(source, `invalid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
}

function delimiterOf(text: string): string {
  const end = text.indexOf("\n");
  const header = end === -1 ? text : text.slice(0, end);
  const found = [",", "\t", ";"].map((delimiter) => ({ delimiter, at: header.indexOf(delimiter) })).filter(({ at }) => at !== -1);
  return found.sort((a, b) => a.at - b.at)[0]?.delimiter ?? ",";
}

/** The index of the first header cell that matches, or -1. */
export function columnOf(header: readonly string[], pattern: RegExp): number {
  return header.findIndex((cell) => pattern.test(cell.trim()));
}

/**
 * A value cell: a decimal number, perhaps with thousands separators
 * (`1,234`); an empty cell is 0.
 */
export function parseValue(cell: string | undefined, source: string, line: number, column: string): Value {
  const text = (cell ?? "")
    .trim()
    .replace(/^\d{1,3}(,\d{3})+(?=\.|$)/, (digits) => digits.replaceAll(",", ""));
  if (text === "") return 0;
  const value = /^\d+$/.test(text) ? parseCount(text) : /^\d*\.\d+$/.test(text) ? Number(text) : NaN;
  if (typeof value === "number" && !Number.isFinite(value)) throw new InputError(source, `line ${line}: ${column} ${JSON.stringify(cell)} is not a value`);
  return value;
}

/** Adds the rows, depth-first, to the tree: each under the nearest shallower row above it. */
export function addCallTreeRows(tree: StackTree, rows: Iterable<CallTreeRow>, checkDeadline: () => void): void {
  const open: { depth: number; node: number }[] = [];
  let count = 0;
  for (const { depth, name, self } of rows) {
    if (++count % 4096 === 0) checkDeadline();
    while (open.length > 0 && open[open.length - 1].depth >= depth) open.pop();
    const node = tree.child(open.at(-1)?.node ?? tree.root, tree.intern(name));
    tree.addSelf(node, self);
    open.push({ depth, node });
  }
}
