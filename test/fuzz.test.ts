/**
 * Fuzzing the readers: random mutations of real samples (bit flips,
 * truncation, splices, byte insertions, odd numbers) must each end in a
 * well-formed SVG or an InputError with a one-line message, never in
 * another exception or a hang. The seed is fixed, so a failure reproduces;
 * a failing input is saved to a temporary file, and once fixed it belongs
 * in test/fixtures/fuzz/, whose files are replayed first.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { Random } from "../bench/prng.js";
import { InputError, type ReadOptions, readProfile, renderFlameGraph } from "torch-flamegraph";
import { foldedLines } from "#internals";
import { repoRoot, corpusDir } from "./support/cli.js";
import { assertWellFormedXml } from "./support/well-formed.js";

const ITERATIONS = 2000;
/** Far above any honest run on these small inputs, even on a loaded machine. */
const HANG_MS = 5000;

const read = (path: string) => readFileSync(join(repoRoot, path));
const corpus = (path: string) => readFileSync(join(corpusDir, path));
/** The first lines of a larger file, so that an iteration stays in the millisecond range. */
const head = (bytes: Buffer, size: number) => bytes.subarray(0, bytes.lastIndexOf(10, size) + 1);

interface Target {
  format: string;
  seeds: Uint8Array[];
  /** Reader options to pick from at random; by default only the defaults. */
  readOptions?: ReadOptions[];
  /** Re-wraps mutated bytes, e.g. in gzip, for part of the iterations. */
  wrap?: (bytes: Uint8Array, random: Random) => Uint8Array;
}

const pprofDir = join(repoRoot, "samples/goprog");
const TARGETS: Target[] = [
  {
    format: "folded",
    seeds: [
      corpus("flamegraph-folded/folded/escaping.folded"),
      corpus("flamegraph-folded/folded/funcab-diff.folded2"),
      head(corpus("flamegraph-folded/folded/example-dtrace.folded"), 4000),
    ],
  },
  {
    format: "perf",
    seeds: ["perf-dd-stacks-01", "perf-js-stacks-01", "perf-java-stacks-02", "perf-cycles-instructions-01"].map((name) =>
      head(corpus(`flamegraph-perf/inputs/${name}.txt`), 4000),
    ),
  },
  {
    format: "pprof",
    // Mutating the gzipped bytes would mostly test the gzip checksum, so the
    // protobuf is mutated and gzipped again one time in four.
    seeds: readdirSync(pprofDir)
      .filter((file) => file.endsWith(".pprof"))
      .map((file) => gunzipSync(readFileSync(join(pprofDir, file)))),
    wrap: (bytes, random) => (random.next() < 0.25 ? gzipSync(bytes) : bytes),
  },
  { format: "cpuprofile", seeds: [read("samples/node/workload.cpuprofile")], readOptions: [{}, { sampleIndex: "time" }] },
  {
    // Legacy text profiles: Go's debug=1 forms and gperftools' heap profile.
    format: "pprof-text",
    seeds: ["go-text/heap.txt", "go-text/block.txt", "go-text/goroutine.txt", "gperftools/heap.heap"].map((path) => read(`test/fixtures/${path}`)),
  },
  { format: "gperftools-cpu", seeds: [read("test/fixtures/gperftools/cpu.prof")] },
  { format: "goroutine-dump", seeds: ["goroutine-debug2.txt", "panic.txt"].map((file) => read(`test/fixtures/go-goroutines/${file}`)) },
  { format: "macos-sample", seeds: [read("test/fixtures/macos-sample/demo.sample.txt")] },
  { format: "xctrace", seeds: [read("test/fixtures/xctrace/time-profile.xml")], readOptions: [{}, { sampleIndex: "samples" }] },
  { format: "stackprof", seeds: [read("test/fixtures/stackprof/cpu.json")] },
  { format: "vs-calltree", seeds: [read("test/fixtures/vs-calltree/demo_CallTreeSummary.csv")] },
  { format: "vtune-csv", seeds: [read("test/fixtures/vtune/tachyon-top-down.csv")] },
  {
    // The array form's head is a trace cut off without its closing bracket, which the format allows.
    format: "chrome-trace",
    seeds: [read("test/fixtures/chrome-trace/startup.json"), head(read("test/fixtures/chrome-trace/page.array.json"), 30000)],
    readOptions: [{}, { sampleIndex: "time" }],
  },
  {
    format: "callgrind",
    seeds: [head(read("test/fixtures/callgrind/prog.callgrind"), 12000), head(read("test/fixtures/callgrind/cache.callgrind"), 12000), head(read("test/fixtures/callgrind/plain.callgrind"), 12000)],
    readOptions: [{}, { sampleIndex: "Dr" }],
  },
  {
    format: "ghc-prof",
    seeds: ["ticks.prof", "percent.prof", "profile.json"].map((name) => read(`test/fixtures/ghc-prof/${name}`)),
    readOptions: [{}, { sampleIndex: "alloc" }, { sampleIndex: "entries" }],
  },
  {
    format: "speedscope",
    seeds: [read("test/fixtures/speedscope/threads.speedscope.json"), read("test/fixtures/speedscope/example-perf.speedscope.json")],
  },
];

const INTERESTING_BYTES = [0, 0xff, 0x0a, 0x0d, 0x20, 0x09, 0x3b, 0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x2d, 0x30, 0x39, 0x80, 0x08, 0x12, 0x1f, 0x8b];
/** Edge values, including ones that overflow to Infinity as a 64-bit float (1e400, 400 nines). */
const INTERESTING_NUMBERS = ["-1", "0", "1.5", "1e308", "-1e308", "1e400", "9".repeat(400), "4294967296", "99999999999999999999", "NaN", "0x10"];

/** One random mutation: the kinds a damaged or hand-edited file shows. */
function mutateOnce(bytes: Uint8Array, random: Random, seeds: readonly Uint8Array[]): Uint8Array {
  const at = random.int(0, bytes.length);
  switch (random.int(0, 4)) {
    case 0: {
      const flipped = Uint8Array.from(bytes);
      if (flipped.length > 0) flipped[Math.min(at, flipped.length - 1)] ^= 1 << random.int(0, 7);
      return flipped;
    }
    case 1:
      return bytes.subarray(0, at);
    case 2: {
      const donor = random.pick(seeds);
      const from = random.int(0, donor.length);
      const piece = donor.subarray(from, from + random.int(0, 200));
      return Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at + random.int(0, 200))]);
    }
    case 3: {
      const inserted = Array.from({ length: random.int(1, 8) }, () => (random.next() < 0.5 ? random.pick(INTERESTING_BYTES) : random.int(0, 255)));
      return Buffer.concat([bytes.subarray(0, at), Uint8Array.from(inserted), bytes.subarray(at)]);
    }
    default: {
      // A number swapped for an extreme one keeps text formats parseable and tests their ranges.
      const text = Buffer.from(bytes).toString("latin1");
      const digits = /\d+/g;
      digits.lastIndex = at;
      const found = digits.exec(text);
      if (!found) return bytes;
      const replaced = text.slice(0, found.index) + random.pick(INTERESTING_NUMBERS) + text.slice(found.index + found[0].length);
      return Buffer.from(replaced, "latin1");
    }
  }
}

function mutate(seed: Uint8Array, random: Random, target: Target): Uint8Array {
  let bytes = seed;
  for (let n = random.int(1, 3); n > 0; n--) bytes = mutateOnce(bytes, random, target.seeds);
  return target.wrap ? target.wrap(bytes, random) : bytes;
}

/** Numbers a reader let through that no SVG attribute may hold. */
const NON_FINITE_ATTRIBUTE = /[\w-]+="[^"]*(?:NaN|Infinity)[^"]*"/;

/** Reads and renders one input as the CLI would; undefined when it ends as it should. */
async function problemWith(bytes: Uint8Array, random: Random, options: ReadOptions): Promise<string | undefined> {
  const cut = random.int(0, bytes.length);
  const source = {
    name: "fuzz-input",
    // Two chunks cut at a random point, as a stream may deliver them.
    async *chunks() {
      yield bytes.subarray(0, cut);
      yield bytes.subarray(cut);
    },
  };
  const flameChart = random.next() < 0.25;
  const started = performance.now();
  try {
    const profile = await readProfile(source, { ...options, mergeMode: flameChart ? "adjacent" : "merge" });
    const svg = renderFlameGraph(profile, { flameChart });
    assertWellFormedXml(svg);
    const nonFinite = NON_FINITE_ATTRIBUTE.exec(svg);
    if (nonFinite) return `SVG attribute with a non-finite number: ${nonFinite[0]}`;
    foldedLines(profile.tree);
  } catch (error) {
    if (!(error instanceof InputError)) return (error as Error).stack ?? String(error);
    if (error.message === "" || error.message.includes("\n")) return `InputError message is not one line: ${JSON.stringify(error.message)}`;
  }
  const elapsed = performance.now() - started;
  return elapsed > HANG_MS ? `took ${elapsed.toFixed(0)} ms` : undefined;
}

let savedDir: string | undefined;

function describeFailure(label: string, bytes: Uint8Array, problem: string): string {
  savedDir ??= mkdtempSync(join(tmpdir(), "torch-fuzz-"));
  const path = join(savedDir, label.replace(/\W+/g, "-"));
  writeFileSync(path, bytes);
  return `${label} (input saved as ${path}): ${problem}`;
}

const fixturesDir = join(repoRoot, "test/fixtures/fuzz");
/** Every distinct set of reader options the fuzzing uses, for replaying the fixtures. */
const allReadOptions = [...new Map(TARGETS.flatMap((target) => target.readOptions ?? [{}]).map((o) => [JSON.stringify(o), o])).values()];

test("inputs that once broke a reader now end in an SVG or a one-line InputError", async () => {
  const failures: string[] = [];
  for (const file of readdirSync(fixturesDir).sort()) {
    const bytes = readFileSync(join(fixturesDir, file));
    for (const options of allReadOptions) {
      // Any chunking of a fixture must do; a fixed random stream picks one.
      const problem = await problemWith(bytes, new Random(file.length), options);
      if (problem) failures.push(describeFailure(file, bytes, problem));
    }
  }
  assert.deepEqual(failures, []);
});

for (const target of TARGETS) {
  test(`${ITERATIONS} mutated ${target.format} inputs each end in an SVG or a one-line InputError`, async () => {
    const random = new Random(0x7041 + target.format.length);
    const failures: string[] = [];
    for (let i = 0; i < ITERATIONS && failures.length < 5; i++) {
      const bytes = mutate(random.pick(target.seeds), random, target);
      const problem = await problemWith(bytes, random, random.pick(target.readOptions ?? [{}]));
      if (problem) failures.push(describeFailure(`${target.format}-${i}`, bytes, problem));
    }
    assert.deepEqual(failures, []);
  });
}
