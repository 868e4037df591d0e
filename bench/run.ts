import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFolded, writePerf, writePprof } from "./generate.js";
import { assertMeasurable, measureSideBySide, type Command } from "./measure.js";
import { resultsTable, targetLines, targets, type BenchRow } from "./report.js";

/**
 * `npm run bench [-- --runs N] [--torch PATH] [--before PATH]`: times torch,
 * in the same rounds, next to `node -e 0` (Node's own start-up), a plain Node
 * read of the same input (the least any reader must do) and, for pprof,
 * `go tool pprof -raw`; for each input kind at three sizes. `--before` names
 * an older torch executable (say, a build of main) measured in the same
 * rounds, so a change is judged against figures taken under the same load.
 * Prints the table and the targets, and writes them to bench/RESULTS.md.
 */
function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: Record<string, string> };
const torch = resolve(flag("--torch") ?? join(root, packageJson.bin.torch));
const before = flag("--before");
/** Rounds for medium and large inputs; small ones and start-up, which vary more, get three times as many. */
const runs = Number(flag("--runs") ?? 3);
const baselineScript = fileURLToPath(new URL("./baseline.js", import.meta.url));
const resultsFile = join(root, "bench", "RESULTS.md");

const node = (...args: string[]): Command => ({ program: process.execPath, args });
const NODE_START = node("-e", "0");

interface Input {
  label: string;
  path: string;
  bytes: number;
  rawBytes?: number;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function hasGo(): boolean {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

const dir = mkdtempSync(join(tmpdir(), "torch-bench-"));
const out = (name: string) => join(dir, name);

function fixture(label: string, path: string): Input {
  const full = join(root, path);
  return { label, path: full, bytes: statSync(full).size };
}

function generated(label: string, file: string, write: (path: string) => number | { bytes: number; rawBytes: number }): Input {
  log(`generating ${label}`);
  const path = out(file);
  const written = write(path);
  return typeof written === "number" ? { label, path, bytes: written } : { label, path, ...written };
}

interface Case {
  job: string;
  size: BenchRow["size"];
  input: Input;
  torchArgs: string[];
  read: "lines" | "gunzip";
  /** Also time `go tool pprof -raw`, which does what `--folded` does. */
  go: boolean;
}

/** torch, then the older torch if any, then the baselines, in one round after another. */
function measureCase(c: Case): BenchRow {
  log(`${c.job}, ${c.size}: ${c.input.label}`);
  const commands = [
    node(torch, ...c.torchArgs),
    NODE_START,
    node(baselineScript, c.read, c.input.path),
    ...(c.go ? [{ program: "go", args: ["tool", "pprof", "-raw", c.input.path] }] : []),
  ];
  if (before) commands.splice(1, 0, node(before, ...c.torchArgs));
  const measured = measureSideBySide(c.size === "small" ? 3 * runs : runs, commands);
  const torchRun = measured.shift()!;
  const beforeRun = before ? measured.shift() : undefined;
  const [nodeStart, read, goPprof] = measured;
  return { job: c.job, size: c.size, input: c.input, torch: torchRun, before: beforeRun, nodeStart, read, goPprof };
}

function startUp(): BenchRow {
  log("start-up: --version");
  const commands = [node(torch, "--version"), NODE_START];
  if (before) commands.splice(1, 0, node(before, "--version"));
  const measured = measureSideBySide(6 * runs, commands);
  return { job: "--version", size: "start-up", torch: measured[0], before: before ? measured[1] : undefined, nodeStart: measured[measured.length - 1] };
}

assertMeasurable();
const loadAtStart = loadavg()[0].toFixed(2);
try {
  const go = hasGo();
  const inputs = {
    folded: [
      fixture("example-perf.folded", "test/fixtures/corpus/flamegraph-folded/folded/example-perf.folded"),
      generated("110k stacks", "110k.folded", (p) => writeFolded(p, 110000)),
      generated("200k stacks", "200k.folded", (p) => writeFolded(p, 200000)),
    ],
    perf: [
      fixture("perf-vertx-stacks-01.txt", "test/fixtures/corpus/flamegraph-perf/inputs/perf-vertx-stacks-01.txt"),
      generated("perf script", "30mb.perf", (p) => writePerf(p, 30e6)),
      generated("perf script", "50mb.perf", (p) => writePerf(p, 50e6)),
    ],
    pprof: [
      generated("10k samples", "10k.pprof", (p) => writePprof(p, 1e4)),
      generated("300k samples", "300k.pprof", (p) => writePprof(p, 3e5)),
      generated("1M samples", "1m.pprof", (p) => writePprof(p, 1e6)),
    ],
  };
  const sizes = ["small", "medium", "large"] as const;
  const toSvg = (input: Input) => [input.path, "-o", out("out.svg")];
  const toFolded = (input: Input) => ["--folded", input.path, "-o", out("out.folded")];
  const cases: Case[] = [
    ...inputs.folded.map((input, i) => ({ job: "folded → SVG", size: sizes[i], input, torchArgs: toSvg(input), read: "lines" as const, go: false })),
    ...inputs.perf.map((input, i) => ({ job: "perf → folded", size: sizes[i], input, torchArgs: toFolded(input), read: "lines" as const, go: false })),
    ...inputs.pprof.map((input, i) => ({ job: "pprof → folded", size: sizes[i], input, torchArgs: toFolded(input), read: "gunzip" as const, go })),
    ...inputs.pprof.map((input, i) => ({ job: "pprof → SVG", size: sizes[i], input, torchArgs: toSvg(input), read: "gunzip" as const, go: false })),
  ];
  const rows: BenchRow[] = [startUp(), ...cases.map(measureCase)];
  const table = resultsTable(rows);
  const goals = targetLines(targets(rows));
  console.log(`${table}\n\nTargets (issue 11):\n${goals}`);
  writeFileSync(
    resultsFile,
    [
      "# Benchmark results",
      "",
      `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ` +
        `Node ${process.version}, load average ${loadAtStart} at the start. Times are medians of ${runs} rounds ` +
        `(${3 * runs} for small inputs, ${6 * runs} for start-up), each round running every command of a row in turn; ` +
        "peak RSS (GNU time) is the highest of the rounds." +
        (before ? " \"before\" is the older torch given with `--before`, measured in the same rounds; ratios show after (before)." : ""),
      "",
      "Baselines, run in the same rounds: `node -e 0` (Node's own start-up, which torch cannot beat); " +
        "plain read: a Node process that streams the file and cuts it into line strings (text) or reads and gunzips it (pprof), " +
        "the least any reader must do; `go tool pprof -raw`, the reference pprof decoder (for `--folded`, which does the same job).",
      "",
      "Inputs: the two small text files are flamegraph.pl's example and stackcollapse-perf.pl's vert.x capture from the FlameGraph " +
        "corpus; the others are generated with a fixed seed (bench/generate.ts): folded stacks sorted as stackcollapse writes them; " +
        "`perf script` samples drawn from 5,000 distinct stacks; gzipped Go-style CPU pprof profiles drawn from 50,000 distinct stacks " +
        "(the size inside the gzip follows). Names: 5,000; depth 10 to 60.",
      "",
      table,
      "",
      "Targets (issue 11)" + (before ? ", after (before):" : ":"),
      "",
      goals,
      "",
    ].join("\n"),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
