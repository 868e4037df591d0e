import type { Measurement } from "./measure.js";

export interface BenchRow {
  input: string;
  sizeBytes: number;
  /** For compressed input, the size inside. */
  rawBytes?: number;
  torch: Measurement;
  baseline: Measurement;
  svgBytes: number;
  framesDrawn: number;
}

/** The brief's targets (issue 7). */
export const MAX_RATIO = 4;
export const MAX_RSS_PER_INPUT_BYTE = 3;
/** Below this input size the RSS target is not applied: Node's own footprint dominates. */
export const RSS_TARGET_FROM_BYTES = 10e6;
export const MAX_LINEARITY = 12;

const MB = 1e6;

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

function mark(ok: boolean): string {
  return ok ? "" : " ✗";
}

/** The results as a Markdown table, one row per input; ✗ marks a missed target. */
export function resultsTable(rows: readonly BenchRow[]): string {
  const header = [
    "input", "size", "torch", "baseline", "torch/baseline", "MB/s",
    "peak RSS", "RSS/size", "baseline RSS", "SVG size", "frames", "bytes/frame",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) {
    const ratio = row.torch.seconds / row.baseline.seconds;
    const rssPerByte = row.torch.peakRssBytes / row.sizeBytes;
    const cells = [
      row.input,
      mb(row.sizeBytes) + (row.rawBytes === undefined ? "" : ` (${mb(row.rawBytes)})`),
      `${row.torch.seconds.toFixed(2)} s`,
      `${row.baseline.seconds.toFixed(2)} s`,
      ratio.toFixed(2) + mark(ratio <= MAX_RATIO),
      (row.sizeBytes / MB / row.torch.seconds).toFixed(1),
      mb(row.torch.peakRssBytes),
      rssPerByte.toFixed(2) + mark(row.sizeBytes < RSS_TARGET_FROM_BYTES || rssPerByte < MAX_RSS_PER_INPUT_BYTE),
      mb(row.baseline.peakRssBytes),
      mb(row.svgBytes),
      String(row.framesDrawn),
      (row.svgBytes / row.framesDrawn).toFixed(0),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Time for 10x the stacks relative to the smaller input: 10 would be exactly linear. */
export function linearityLine(small: BenchRow, large: BenchRow): string {
  const factor = large.torch.seconds / small.torch.seconds;
  return `Linearity: ${large.input} / ${small.input} = ${factor.toFixed(2)}x (target ≤ ${MAX_LINEARITY}x)${mark(factor <= MAX_LINEARITY)}`;
}
