import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFolded, writePerf, writePprof } from "./generate.js";
import { measureRepeatedly } from "./measure.js";
import { linearityLine, MAX_RATIO, MAX_RSS_PER_INPUT_BYTE, resultsTable, RSS_TARGET_FROM_BYTES, type BenchRow } from "./report.js";

/**
 * `npm run bench [-- --runs N]`: generates the inputs into a temporary
 * directory, times torch on each against a baseline that only reads the
 * input, and prints the table (also written to bench/RESULTS.md).
 */
const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag === -1 ? 3 : Number(process.argv[runsFlag + 1]);

const cli = fileURLToPath(new URL("../src/cli.js", import.meta.url));
const baseline = fileURLToPath(new URL("./baseline.js", import.meta.url));
const resultsFile = fileURLToPath(new URL("../../bench/RESULTS.md", import.meta.url));

interface BenchInput {
  label: string;
  file: string;
  baselineMode: "lines" | "pprof";
  /** Writes the input; its size, and for compressed input the size inside. */
  generate: (path: string) => { bytes: number; rawBytes?: number };
}

const INPUTS: BenchInput[] = [
  { label: "folded, 1k stacks", file: "1k.folded", baselineMode: "lines", generate: (p) => ({ bytes: writeFolded(p, 1000) }) },
  { label: "folded, 20k stacks", file: "20k.folded", baselineMode: "lines", generate: (p) => ({ bytes: writeFolded(p, 20000) }) },
  { label: "folded, 200k stacks", file: "200k.folded", baselineMode: "lines", generate: (p) => ({ bytes: writeFolded(p, 200000) }) },
  { label: "perf script", file: "perf.txt", baselineMode: "lines", generate: (p) => ({ bytes: writePerf(p, 50e6) }) },
  { label: "pprof, 1M samples", file: "cpu.pprof", baselineMode: "pprof", generate: (p) => writePprof(p, 1e6) },
];

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function benchOne(input: BenchInput, dir: string): BenchRow {
  const path = join(dir, input.file);
  const { bytes: sizeBytes, rawBytes } = input.generate(path);
  log(`${input.label}: ${(sizeBytes / 1e6).toFixed(1)} MB generated; measuring`);
  const svg = join(dir, "out.svg");
  const torch = measureRepeatedly(runs, cli, [path, "-o", svg]);
  const svgText = readFileSync(svg, "utf8");
  const framesDrawn = svgText.split("<g data-x=").length - 1;
  const row = {
    input: input.label,
    sizeBytes,
    rawBytes,
    torch,
    baseline: measureRepeatedly(runs, baseline, [input.baselineMode, path]),
    svgBytes: statSync(svg).size,
    framesDrawn,
  };
  rmSync(path);
  return row;
}

const dir = mkdtempSync(join(tmpdir(), "torch-bench-"));
// Other work on the machine slows torch and the baseline alike, but makes single figures noisy.
const loadAtStart = loadavg()[0].toFixed(2);
try {
  const rows = INPUTS.map((input) => benchOne(input, dir));
  const linearity = linearityLine(rows[1], rows[2]);
  const table = resultsTable(rows);
  console.log(`${table}\n\n${linearity}`);
  writeFileSync(
    resultsFile,
    [
      "# Benchmark results",
      "",
      `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ` +
        `Node ${process.version}, load average ${loadAtStart} at the start; median of ${runs} run(s), peak RSS the highest of them.`,
      "",
      "Inputs, generated with a fixed seed (bench/generate.ts): folded stacks sorted as stackcollapse writes them, " +
        "each branching off a recent stack near its leaf as in real profiles; `perf script` samples drawn from 5,000 distinct stacks; " +
        "a gzipped pprof profile of 1M samples drawn from 50,000 distinct stacks. Names: 5,000; depth 10 to 60.",
      "",
      "Baseline: a Node process that only streams the input and cuts it into lines (text), " +
        "or gunzips it and decodes it with protobufjs (pprof). Size is the file's size (for gzip, the size inside follows). " +
        `Targets: torch/baseline ≤ ${MAX_RATIO}; peak RSS < ${MAX_RSS_PER_INPUT_BYTE}x the file size for inputs of ${RSS_TARGET_FROM_BYTES / 1e6} MB and more, ` +
        "below which Node's own ~50 MB dominates (✗ marks a miss).",
      "",
      table,
      "",
      linearity,
      "",
    ].join("\n"),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
