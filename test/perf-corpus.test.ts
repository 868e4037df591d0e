import assert from "node:assert/strict";
import { createReadStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { InputError, type PerfOptions, type ProfileMeta, StackTree } from "torch-flamegraph";
import { createPerfParser, foldedLines, looksLikePerfScript } from "#internals";
import { parseFolded } from "./support/folded.js";

const repoRoot = new URL("../../", import.meta.url);
const corpus = new URL("test/fixtures/corpus/flamegraph-perf/", repoRoot);
const inputsDir = new URL("inputs/", corpus);
const resultsDir = new URL("results/", corpus);

/** Result suffix -> the stackcollapse-perf.pl flag it was recorded with. */
const VARIANTS: Record<string, PerfOptions> = {
  pid: { pid: true },
  tid: { tid: true },
  kernel: { kernel: true },
  jit: { jit: true },
  all: { all: true },
  addrs: { addrs: true },
};

/**
 * The corpus README: these results were recorded before stackcollapse-perf.pl
 * stripped the JVM `L` prefix for `java-PID` process names; the current
 * script (and this parser) strips it.
 */
const STALE_JAVA_INPUTS = ["perf-java-faults-01", "perf-java-stacks-01", "perf-java-stacks-02", "perf-vertx-stacks-01"];
const STALE_VARIANTS = ["pid", "tid"];

const inputNames = readdirSync(inputsDir)
  .filter((file) => file.endsWith(".txt"))
  .map((file) => file.slice(0, -".txt".length))
  .sort();

/** Folded output for a corpus input, read line by line as the CLI streams it. */
async function collapseFile(name: string, options: PerfOptions): Promise<string> {
  const tree = new StackTree();
  const parser = createPerfParser(tree, `${name}.txt`, options);
  const lines = createInterface({ input: createReadStream(new URL(`${name}.txt`, inputsDir)), crlfDelay: Infinity });
  for await (const line of lines) parser.line(line);
  parser.end();
  return foldedLines(tree).join("\n");
}

function collapseText(text: string, options: PerfOptions = {}): { folded: string[]; meta: ProfileMeta } {
  const tree = new StackTree();
  const parser = createPerfParser(tree, "inline.txt", options);
  for (const line of text.split("\n")) parser.line(line);
  const meta = parser.end();
  return { folded: foldedLines(tree), meta };
}

function expectedResult(name: string, variant: string): string | undefined {
  const file = new URL(`${name}-collapsed-${variant}.txt`, resultsDir);
  return existsSync(file) ? readFileSync(file, "utf8").replace(/\n$/, "") : undefined;
}

/** Renames every frame below the root of a folded text, merging stacks that become equal. */
function renameFrames(folded: string, rename: (frame: string) => string): string {
  const tree = new StackTree();
  for (const { frames: [root, ...frames], count } of parseFolded(folded)) tree.add([root, ...frames.map(rename)], count);
  return foldedLines(tree).join("\n");
}

/** Folded texts added together, as one folded text. */
function addFolded(...texts: string[]): string {
  const tree = new StackTree();
  for (const { frames, count } of parseFolded(texts.join("\n"))) tree.add(frames, count);
  return foldedLines(tree).join("\n");
}

/**
 * The last sample of an input that does not end with a blank line, which
 * stackcollapse-perf.pl drops (it counts a sample at the blank line after
 * it) and torch keeps.
 */
function unterminatedLastSample(name: string): string | undefined {
  const text = readFileSync(new URL(`${name}.txt`, inputsDir), "utf8");
  if (text.endsWith("\n\n")) return undefined;
  return text.slice(text.trimEnd().lastIndexOf("\n\n") + 2);
}

/** The one documented change since the stale results were recorded. */
const stripJavaTypePrefix = (frame: string) => (frame.startsWith("L") && frame.includes("/") ? frame.slice(1) : frame);
/** --kernel differs from the default output only by this suffix. */
const dropKernelAnnotation = (frame: string) => (frame.endsWith("_[k]") ? frame.slice(0, -"_[k]".length) : frame);

test("perf script corpus: every expected stackcollapse-perf.pl output", async (t) => {
  const matched: string[] = [];
  const stale: string[] = [];
  const lastSampleKept: string[] = [];
  for (const name of inputNames) {
    const lastSample = unterminatedLastSample(name);
    for (const [variant, options] of Object.entries(VARIANTS)) {
      const recorded = expectedResult(name, variant);
      if (recorded === undefined) continue;
      const label = `${name} --${variant}`;
      const isStale = STALE_JAVA_INPUTS.includes(name) && STALE_VARIANTS.includes(variant);
      await t.test(label, async () => {
        const folded = await collapseFile(name, options);
        if (folded === recorded) matched.push(label);
        let expected = recorded;
        if (lastSample !== undefined) {
          // What the Perl tool gives once the file ends with a blank line.
          expected = addFolded(recorded, collapseText(`${lastSample}\n\n`, options).folded.join("\n"));
          assert.notEqual(expected, recorded);
          if (folded === expected && !isStale) lastSampleKept.push(label);
        }
        if (isStale) {
          stale.push(label);
          assert.notEqual(folded, expected, "stale result now matches: drop it from STALE_JAVA_INPUTS");
          assert.equal(folded, renameFrames(expected, stripJavaTypePrefix));
        } else {
          assert.equal(folded, expected);
        }
      });
    }
  }
  const total = matched.length + lastSampleKept.length + stale.length;
  console.log(
    `perf corpus conformance: ${matched.length} of ${total} expected outputs matched byte for byte, ` +
      `${lastSampleKept.length} once the last sample the Perl tool drops is added ` +
      `(${stale.length} known-stale: ${stale.join(", ")})`,
  );
  assert.equal(stale.length, STALE_JAVA_INPUTS.length * STALE_VARIANTS.length);
  assert.ok(total >= inputNames.length * Object.keys(VARIANTS).length, "every input has all six variants");
});

test("perf script corpus: without flags, the --kernel output minus its _[k] annotations", async (t) => {
  for (const name of inputNames) {
    await t.test(name, async () => {
      const folded = await collapseFile(name, {});
      const lastSample = unterminatedLastSample(name);
      const kernel = expectedResult(name, "kernel")!;
      const expected = lastSample === undefined ? kernel : addFolded(kernel, collapseText(`${lastSample}\n\n`, { kernel: true }).folded.join("\n"));
      assert.equal(folded, renameFrames(expected, dropKernelAnnotation));
    });
  }
});

test("perf script corpus: every input is detected as perf script", () => {
  for (const name of inputNames) {
    const head = readFileSync(new URL(`${name}.txt`, inputsDir), "utf8").split("\n").slice(0, 40);
    assert.ok(looksLikePerfScript(head), name);
  }
});

test("perf script detection rejects folded stacks and prose", () => {
  assert.equal(looksLikePerfScript(["main;work;spin 12", "main;idle 3"]), false);
  assert.equal(looksLikePerfScript(["java 123 said (something)", "and then 45 more (words)"]), false);
  assert.equal(looksLikePerfScript([]), false);
});

const TWO_EVENTS = `# ========
# cmdline : /usr/bin/perf record -e instructions -e cycles -g
#
prog 10 [000] 1.000001: 100 instructions:
\t4005b1 main (/usr/bin/prog)

prog 10 [000] 1.000002: 7 cycles:
\t400577 spin (/usr/bin/prog)
\t4005b1 main (/usr/bin/prog)

prog 10 [000] 1.000003: 5 cycles:
\t400577 spin (/usr/bin/prog)
\t4005b1 main (/usr/bin/prog)
`;

test("several events: the first one seen is kept by default, --event-filter picks another", () => {
  const byDefault = collapseText(TWO_EVENTS);
  assert.deepEqual(byDefault.folded, ["prog;main 100"]);
  assert.equal(byDefault.meta.sampleType, "instructions");
  assert.match(byDefault.meta.warnings!.join("\n"), /skipped 2 cycles/);

  const cycles = collapseText(TWO_EVENTS, { eventFilter: "cycles" });
  assert.deepEqual(cycles.folded, ["prog;main;spin 12"]);
  assert.equal(cycles.meta.sampleType, "cycles");
  assert.equal(cycles.meta.unit, "count", "the periods are added up");
});

test("an event filter that matches nothing is an input error naming the events present", () => {
  assert.throws(
    () => collapseText(TWO_EVENTS, { eventFilter: "page-faults" }),
    (error: unknown) =>
      error instanceof InputError && /no samples of event "page-faults".*instructions, cycles/.test(error.message),
  );
});

test("input without stacks is an input error", () => {
  const noStacks = (text: string, reason: RegExp) =>
    assert.throws(
      () => collapseText(text),
      (error: unknown) => error instanceof InputError && reason.test(error.message),
    );
  noStacks("", /^no stacks found in perf script output$/);
  noStacks("# ========\n# captured on: today\n# ========\n#\n", /^no stacks found in perf script output$/);
  noStacks("prog 10 [000] 1.5: cycles:\n\nprog 10 [000] 1.6: cycles:\n\n", /without call-stack frames.*perf record -g/);
});

test("symbol and module text is tidied as stackcollapse-perf.pl does", () => {
  const text = [
    "Web Content 7/8 [001] 2.5: 3 cycles:",
    "\t1a std::vector<int>::push_back(int const&)+0x1f (/opt/my app/lib.so)",
    "\t2b ns::(anonymous namespace)::Worker::run() (/opt/my app/lib.so)",
    "\t3c net/http.(*Client).Do (/usr/bin/server)",
    "\t4d caller->inlined (/usr/bin/server)",
    "\t5e [unknown] (/usr/lib/libc.so.6)",
    "\t6f __schedule ([kernel.kallsyms])",
    "",
  ].join("\n");
  const callees = "net/http.(*Client).Do;ns::(anonymous namespace)::Worker::run;std::vector<int>::push_back 3";
  assert.deepEqual(collapseText(text, { tid: true, kernel: true }).folded, [
    `Web_Content-7/8;__schedule_[k];[libc.so.6];caller;inlined_[i];${callees}`,
  ]);
  assert.deepEqual(collapseText(text, { addrs: true }).folded, [
    `Web_Content;__schedule;[libc.so.6 <5e>];caller;inlined_[i];${callees}`,
  ]);
});

test("the last sample counts without a blank line after it, and a one-sample file is a profile", () => {
  const text = "prog 10 1.5: cycles:\n\t1 main (/bin/prog)\n\nprog 10 1.6: cycles:\n\t2 other (/bin/prog)";
  const { folded, meta } = collapseText(text);
  assert.deepEqual(folded, ["prog;main 1", "prog;other 1"]);
  assert.deepEqual(meta.warnings, []);
  assert.deepEqual(collapseText("prog 10 1.6: cycles:\n\t2 other (/bin/prog)").folded, ["prog;other 1"]);
});

test("header fields are read as perl reads them", () => {
  const text = [
    "swapper     0/0     [003] 7.25:     250000 cpu-clock:",
    "\tffffffff81 native_safe_halt ([kernel.kallsyms])",
    "",
    "swapper     0/0     [003] 7.5:     250000 cpu-clock:",
    "\tffffffff81 native_safe_halt ([kernel.kallsyms])",
    "this line is not perf output",
    "",
  ].join("\n");
  const { folded, meta } = collapseText(text, { tid: true });
  // perl takes a TID of "0" for absent, so the single number is the TID.
  assert.deepEqual(folded, ["swapper-?/0;native_safe_halt 500000"]);
  assert.deepEqual(meta.warnings, ["skipped 1 unrecognised line(s) (line 6)"]);
});
