import type { Measurement } from "./measure.js";

/** One measured case: torch and, in the same rounds, its baselines. */
export interface BenchRow {
  /** What torch does: `folded → SVG`, `perf → folded`, ... */
  job: string;
  size: "start-up" | "small" | "medium" | "large";
  /** The input's name and size; for gzip, the size inside too. */
  input?: { label: string; bytes: number; rawBytes?: number };
  torch: Measurement;
  /** The older torch (`--before`), same arguments, same rounds. */
  before?: Measurement;
  nodeStart: Measurement;
  /** Reading the input once in plain Node (lines, or gunzip for pprof). */
  read?: Measurement;
  /** `go tool pprof -raw` on the same file. */
  goPprof?: Measurement;
}

const MB = 1e6;

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

function seconds(m: Measurement | undefined): string {
  return m ? `${m.seconds.toFixed(3)} s` : "";
}

/** A figure of torch's run, followed by the same figure of the older torch's run in brackets when there is one. */
function afterBefore(row: BenchRow, figure: (torch: Measurement) => string): string {
  return row.before ? `${figure(row.torch)} (${figure(row.before)})` : figure(row.torch);
}

function ratio(row: BenchRow, baseline: Measurement | undefined): string {
  return baseline ? afterBefore(row, (m) => (m.seconds / baseline.seconds).toFixed(2)) : "";
}

/** The size a pprof's memory is judged against: what is inside the gzip. */
function inputBytes(row: BenchRow): number {
  return row.input!.rawBytes ?? row.input!.bytes;
}

/** The results as a Markdown table, one row per case; with `--before`, "after (before)". */
export function resultsTable(rows: readonly BenchRow[]): string {
  const header = [
    "job", "size", "input", "torch", "before", "node -e 0", "plain read", "go pprof -raw",
    "torch / node -e 0", "torch / plain read", "torch / go", "peak RSS", "RSS / input", "plain read RSS",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) {
    const input = row.input;
    const cells = [
      row.job,
      row.size,
      input ? `${input.label}, ${mb(input.bytes)}${input.rawBytes === undefined ? "" : ` (${mb(input.rawBytes)} inside)`}` : "",
      seconds(row.torch),
      seconds(row.before),
      seconds(row.nodeStart),
      seconds(row.read),
      seconds(row.goPprof),
      ratio(row, row.nodeStart),
      ratio(row, row.read),
      ratio(row, row.goPprof),
      afterBefore(row, (m) => mb(m.peakRssBytes)),
      input ? afterBefore(row, (m) => (m.peakRssBytes / inputBytes(row)).toFixed(2)) : "",
      row.read ? mb(row.read.peakRssBytes) : "",
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

interface Target {
  text: string;
  /** The measured figure of torch, or of the older torch. */
  figure: (side: Side) => number;
  limit: number;
  show: (value: number) => string;
  row: BenchRow;
}

function find(rows: readonly BenchRow[], job: string, size: BenchRow["size"]): BenchRow | undefined {
  return rows.find((r) => r.job === job && r.size === size);
}

/** Which torch a figure is of: this one, or the older one given with `--before`. */
type Side = "torch" | "before";

const times = (value: number) => `${value.toFixed(2)}x`;

/** The issue's targets (issue 11), each with its figure from this run. */
export function targets(rows: readonly BenchRow[]): Target[] {
  const out: Target[] = [];
  const startUp = find(rows, "--version", "start-up");
  if (startUp) {
    out.push({
      text: "`torch --version` at most 60 ms over `node -e 0`",
      figure: (side) => (startUp[side]!.seconds - startUp.nodeStart.seconds) * 1000,
      limit: 60,
      show: (ms) => `${ms >= 0 ? "+" : ""}${ms.toFixed(0)} ms`,
      row: startUp,
    });
  }
  for (const job of ["folded → SVG", "perf → folded"]) {
    const small = find(rows, job, "small");
    if (small) out.push({ text: `small ${job} at most 2x \`node -e 0\``, figure: (side) => small[side]!.seconds / small.nodeStart.seconds, limit: 2, show: times, row: small });
    const large = find(rows, job, "large");
    const read = large?.read;
    if (large && read) out.push({ text: `large ${job} within 2.5x of the plain read`, figure: (side) => large[side]!.seconds / read.seconds, limit: 2.5, show: times, row: large });
    for (const size of ["medium", "large"] as const) {
      const row = find(rows, job, size);
      if (row?.input) out.push({ text: `${size} ${job}: peak RSS at most 2x the input`, figure: (side) => row[side]!.peakRssBytes / inputBytes(row), limit: 2, show: times, row });
    }
  }
  const perfMedium = find(rows, "perf → folded", "medium");
  const perfLarge = find(rows, "perf → folded", "large");
  if (perfMedium?.input && perfLarge?.input) {
    const inputGrowth = (perfLarge.input.bytes - perfMedium.input.bytes) / MB;
    out.push({
      text: `perf → folded in constant memory: peak RSS grows under 10% of the input's growth (${inputGrowth.toFixed(0)} MB)`,
      figure: (side) => (perfLarge[side]!.peakRssBytes - perfMedium[side]!.peakRssBytes) / MB,
      limit: inputGrowth / 10,
      show: (growth) => `${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MB`,
      row: perfLarge,
    });
  }
  for (const row of rows.filter((r) => r.goPprof && r.size !== "small")) {
    const go = row.goPprof!;
    out.push({ text: `${row.size} ${row.job} faster than \`go tool pprof -raw\``, figure: (side) => row[side]!.seconds / go.seconds, limit: 0.999, show: (r) => `${r.toFixed(2)}x go's time`, row });
  }
  for (const row of rows.filter((r) => r.job.startsWith("pprof") && r.size !== "small")) {
    out.push({ text: `${row.size} ${row.job}: peak RSS at most 3x the unzipped size`, figure: (side) => row[side]!.peakRssBytes / inputBytes(row), limit: 3, show: times, row });
  }
  return out;
}

/** One line per target: met or not by torch, its figure, and the older torch's figure when measured. */
export function targetLines(list: readonly Target[]): string {
  return list
    .map((t) => {
      const value = t.figure("torch");
      const was = t.row.before ? ` (before: ${t.show(t.figure("before"))})` : "";
      return `- ${value <= t.limit ? "✓" : "✗"} ${t.text}: ${t.show(value)}${was}`;
    })
    .join("\n");
}
