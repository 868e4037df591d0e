/**
 * Stacks 100,000 frames deep (runaway recursion in the profiled program)
 * must not overflow torch's own call stack anywhere: readers, tree,
 * transforms, layout, SVG and folded output.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import protobuf from "protobufjs";
import { type InputSource, readProfile } from "torch-flamegraph";
import { foldedLines } from "#internals";
import { repoRoot, runCli } from "./support/cli.js";
import { assertWellFormedXml } from "./support/well-formed.js";

const DEPTH = 100_000;
/** Frame i of the deep stack, root first; few distinct names, as in real recursion. */
const frameName = (i: number) => `recurse${i % 3}`;
const deepStack = Array.from({ length: DEPTH }, (_, i) => frameName(i));
const folded = `${deepStack.join(";")} 5\n${deepStack.slice(0, 10).join(";")} 3\n`;

/** Equality without a megabyte-long diff in the failure message. */
function assertSameLines(actual: string, expected: string[], what: string): void {
  const lines = actual.trimEnd().split("\n");
  assert.equal(lines.length, expected.length, `${what}: line count`);
  lines.forEach((line, i) => assert.ok(line === expected[i], `${what}: line ${i + 1} differs (${line.length} vs ${expected[i].length} characters)`));
}

test("a 100,000-frame folded stack renders as a well-formed SVG with every frame", () => {
  const run = runCli(["-"], folded);
  assert.equal(run.status, 0, run.stderr);
  assertWellFormedXml(run.stdout);
  assert.equal(run.stdout.split("<g data-x=").length - 1, DEPTH + 1, "one frame per level plus the root");
  assert.ok(run.stdout.includes(`<title>${frameName(DEPTH - 1)} (5 samples, 62.50%)</title>`), "the leaf is drawn");
});

test("a 100,000-frame folded stack comes back unchanged from --folded, and reversed from --reverse", () => {
  const run = runCli(["--folded", "-"], folded);
  assert.equal(run.status, 0, run.stderr);
  // Sorted as stackcollapse sorts: the short stack's " 3" sorts before the long one's ";".
  assertSameLines(run.stdout, folded.trimEnd().split("\n").sort(), "--folded");
  const reversed = runCli(["--folded", "--reverse", "-"], folded);
  assert.equal(reversed.status, 0, reversed.stderr);
  const expected = [`${[...deepStack].reverse().join(";")} 5`, `${deepStack.slice(0, 10).reverse().join(";")} 3`].sort();
  assertSameLines(reversed.stdout, expected, "--reverse --folded");
});

function memorySource(text: string | Uint8Array): InputSource {
  return {
    name: "deep",
    async *chunks() {
      yield typeof text === "string" ? Buffer.from(text) : text;
    },
  };
}

/** The folded line every reader below must produce. */
const expectedLine = `${deepStack.join(";")} 1`;

test("a 100,000-frame perf script sample reads into one deep stack", async () => {
  const frames = [...deepStack].reverse().map((name, i) => `\t    ${(0x400000 + i).toString(16)} ${name} (/usr/bin/prog)\n`);
  const text = `prog 42/42 [000] 1.000000: cpu-clock: \n${frames.join("")}\n`;
  const profile = await readProfile(memorySource(text));
  assert.equal(profile.format, "perf");
  assertSameLines(foldedLines(profile.tree).join("\n"), [`prog;${expectedLine}`], "perf");
});

test("a 100,000-frame pprof sample reads into one deep stack", async () => {
  const Profile = protobuf.loadSync(join(repoRoot, "proto/profile.proto")).lookupType("perftools.profiles.Profile");
  const names = ["recurse0", "recurse1", "recurse2"];
  const bytes = Profile.encode({
    sampleType: [{ type: 1, unit: 2 }],
    stringTable: ["", "samples", "count", ...names],
    function: names.map((_, i) => ({ id: i + 1, name: i + 3 })),
    location: names.map((_, i) => ({ id: i + 1, line: [{ functionId: i + 1 }] })),
    // Location ids leaf first.
    sample: [{ locationId: deepStack.map((_, i) => ((DEPTH - 1 - i) % 3) + 1), value: [1] }],
  }).finish();
  const profile = await readProfile(memorySource(bytes));
  assert.equal(profile.format, "pprof");
  assertSameLines(foldedLines(profile.tree).join("\n"), [expectedLine], "pprof");
});

test("a 100,000-node-deep .cpuprofile call tree reads into one deep stack", async () => {
  const nodes = deepStack.map((name, i) => ({
    id: i + 2,
    callFrame: { functionName: name, scriptId: "1", url: "", lineNumber: 0, columnNumber: 0 },
    children: i + 1 < DEPTH ? [i + 3] : [],
  }));
  const root = { id: 1, callFrame: { functionName: "(root)", scriptId: "0", url: "", lineNumber: -1, columnNumber: -1 }, children: [2] };
  const cpuprofile = { nodes: [root, ...nodes], startTime: 0, endTime: 1000, samples: [DEPTH + 1], timeDeltas: [1000] };
  const profile = await readProfile(memorySource(JSON.stringify(cpuprofile)));
  assert.equal(profile.format, "cpuprofile");
  assertSameLines(foldedLines(profile.tree).join("\n"), [expectedLine], "cpuprofile");
});
