import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { isRecord, parseJson } from "./json-input.js";
import { readAllText, type ProfileReader } from "./reader.js";
import { chooseSampleType } from "./sample-type.js";

/**
 * Reader for GHC's cost-centre profiles (a program built with `ghc -prof`, run
 * with `+RTS -p`, `-P` or `-pj`), from the GHC User's Guide and the RTS's report
 * writers: the `.prof` text report, whose cost-centre tree lists one line per
 * cost-centre stack, indented one space per level, and its JSON form
 * (`cost_centres` by id, and a `profile` tree of ids with their counts). The
 * tree is real stacks. Frames are `Module.label` (`Main.fib`, `GHC.IO.Encoding.CAF`),
 * and the root is `MAIN`.
 *
 * Values: `ticks` (time samples, the default), `alloc` (bytes) or `entries`,
 * chosen with --sample-index. `-P` reports and JSON hold exact ticks and bytes;
 * a `-p` report has only percentages (0.1 steps) of the header's totals, which
 * are used, with a warning.
 */

const VALUES = ["ticks", "alloc", "entries"] as const;
type Value = (typeof VALUES)[number];
const META: Record<Value, ProfileMeta> = {
  ticks: { sampleType: "ticks", unit: "count" },
  alloc: { sampleType: "alloc", unit: "bytes" },
  entries: { sampleType: "entries", unit: "count" },
};

/** One cost-centre stack: its frame name and own counts. */
interface CostCentreStack {
  name: string;
  counts: Record<Value, number>;
  children: CostCentreStack[];
}

const TEXT_TITLE = /Time and Allocation Profiling Report/;
const TREE_HEADER = /^\s*COST CENTRE\s+MODULE\s.*\bno\.\s+entries\b/;

export const ghcProfReader: ProfileReader = {
  name: "ghc-prof",
  uses: ["sampleIndex"],
  detect: (head) =>
    head.lines.slice(0, 3).some((line) => TEXT_TITLE.test(line)) ||
    (head.text.trimStart().startsWith("{") && /"cost_centres"\s*:/.test(head.text) && /"total_ticks"\s*:/.test(head.text)),
  read: async (input, { source, tree, options }) => {
    const value = VALUES[chooseSampleType(VALUES, options.sampleIndex ?? "ticks", source)];
    const text = await readAllText(input, source, "GHC");
    const { root, warnings } = text.trimStart().startsWith("{") ? fromJson(parseJson(text, source), source) : fromText(text, source, value);
    if (addStacks(root, value, tree) === 0) throw new InputError(source, `GHC profile holds no ${value}${value === "ticks" ? " (try --sample-index alloc)" : ""}`);
    return { ...META[value], warnings };
  },
};

function frameName(label: string, module: string): string {
  return label === module ? label : `${module}.${label}`;
}

/** Adds every stack's chosen count to `tree`, depth first without recursion; returns the total. */
function addStacks(root: CostCentreStack, value: Value, tree: StackTree): number {
  let total = 0;
  const pending: Array<[CostCentreStack, number]> = [[root, tree.root]];
  while (pending.length > 0) {
    const [stack, parent] = pending.pop()!;
    const node = tree.child(parent, tree.intern(stack.name));
    const count = stack.counts[value];
    if (count !== 0) tree.addSelf(node, count);
    total += count;
    for (let i = stack.children.length - 1; i >= 0; i--) pending.push([stack.children[i], node]);
  }
  return total;
}

// ---------------------------------------------------------------- .prof text

/**
 * The text report: header totals (`total time = ... (N ticks @ ...)`, `total
 * alloc = N bytes`), a per-cost-centre summary, then the tree. Tree columns are
 * aligned under their headings; names may hold spaces, so the name and module
 * are cut at the heading's columns, and the counts are the last fields:
 * `no. entries %time %alloc %time %alloc [ticks bytes]`.
 */
function fromText(text: string, source: string, value: Value): { root: CostCentreStack; warnings: string[] } {
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  const headerAt = lines.findIndex((line) => TREE_HEADER.test(line));
  if (headerAt < 0) throw new InputError(source, "not a GHC profile: no cost-centre tree (COST CENTRE ... no. entries) found");
  const header = lines[headerAt];
  const moduleColumn = header.indexOf("MODULE");
  const exact = /\bticks\s+bytes\s*$/.test(header);
  const numberCount = exact ? 8 : 6;
  const totalTicks = headerNumber(lines, /total time\s*=.*\(([\d,]+) ticks/);
  const totalAlloc = headerNumber(lines, /total alloc\s*=\s*([\d,]+) bytes/);
  const warnings: string[] = [];
  if (!exact && value !== "entries") {
    warnings.push(`${value} are the report's percentages of its total (0.1% steps); profile with +RTS -P or -pj for exact ticks and bytes`);
  }

  const root: CostCentreStack = { name: "", counts: { ticks: 0, alloc: 0, entries: 0 }, children: [] };
  const open: Array<{ depth: number; stack: CostCentreStack }> = [{ depth: -1, stack: root }];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const depth = line.length - line.trimStart().length;
    const fields = line.slice(moduleColumn).trim().split(/\s+/);
    const numbers = fields.slice(-numberCount).map((field) => Number(field));
    const label = line.slice(depth, moduleColumn).trim();
    if (line.length <= moduleColumn || label === "" || fields.length < numberCount + 1 || numbers.some((n) => !Number.isFinite(n) || n < 0)) {
      throw new InputError(source, `line ${i + 1}: not a cost-centre line: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const [, entries, time, alloc] = numbers;
    const counts = exact
      ? { ticks: numbers[6], alloc: numbers[7], entries }
      : { ticks: Math.round((time / 100) * totalTicks), alloc: Math.round((alloc / 100) * totalAlloc), entries };
    const stack: CostCentreStack = { name: frameName(label, fields[0]), counts, children: [] };
    while (open[open.length - 1].depth >= depth) open.pop();
    open[open.length - 1].stack.children.push(stack);
    open.push({ depth, stack });
  }
  if (root.children.length !== 1) throw new InputError(source, `not a GHC profile: the cost-centre tree has ${root.children.length} roots`);
  return { root: root.children[0], warnings };
}

function headerNumber(lines: string[], pattern: RegExp): number {
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match) return Number(match[1].replaceAll(",", ""));
  }
  return 0;
}

// ---------------------------------------------------------------- -pj JSON

/** The JSON report: `cost_centres` name the ids; `profile` is the tree, each node `{id, entries, alloc, ticks, children}`. */
function fromJson(json: unknown, source: string): { root: CostCentreStack; warnings: string[] } {
  const bad = (what: string): never => {
    throw new InputError(source, `not a GHC JSON profile: ${what}`);
  };
  if (!isRecord(json) || !Array.isArray(json.cost_centres) || !isRecord(json.profile)) return bad("no cost_centres and profile");
  const names = new Map<unknown, string>();
  for (const centre of json.cost_centres) {
    if (!isRecord(centre) || typeof centre.label !== "string" || typeof centre.module !== "string") return bad("a cost centre has no label or module");
    names.set(centre.id, frameName(centre.label, centre.module));
  }
  const convert = (node: Record<string, unknown>): CostCentreStack => {
    const name = names.get(node.id) ?? bad(`unknown cost centre id ${JSON.stringify(node.id)}`);
    const count = (field: Value) => {
      const value = node[field];
      return typeof value === "number" && value >= 0 && Number.isFinite(value) ? value : bad(`${field} is not a count`);
    };
    if (!Array.isArray(node.children)) bad("a node has no children list");
    return { name, counts: { ticks: count("ticks"), alloc: count("alloc"), entries: count("entries") }, children: [] };
  };
  // Depth first without recursion: profiles of deep recursion are deep trees.
  const root = convert(json.profile);
  const pending: Array<[Record<string, unknown>, CostCentreStack]> = [[json.profile, root]];
  while (pending.length > 0) {
    const [node, stack] = pending.pop()!;
    for (const child of node.children as unknown[]) {
      if (!isRecord(child)) bad("a child is not an object");
      const converted = convert(child as Record<string, unknown>);
      stack.children.push(converted);
      pending.push([child as Record<string, unknown>, converted]);
    }
  }
  return { root, warnings: [] };
}
