import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError, type MergeMode, StackTree } from "torch-flamegraph";
import { foldedLines, looksLikeCpuProfile, readCpuProfile } from "#internals";

// ---------------------------------------------------------------- helpers

interface RawCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface RawNode {
  id: number;
  callFrame: RawCallFrame;
  hitCount?: number;
  children?: number[];
}

interface RawProfile {
  nodes: RawNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const SAMPLE_TEXT = readFileSync(new URL("../../samples/node/workload.cpuprofile", import.meta.url), "utf8");
const SAMPLE: RawProfile = JSON.parse(SAMPLE_TEXT);

function read(text: string, sampleIndex?: string, mergeMode: MergeMode = "merge"): StackTree {
  const tree = new StackTree(1, mergeMode);
  readCpuProfile(text, "test.cpuprofile", { sampleIndex }, tree);
  return tree;
}

function frame(functionName: string, url = "", lineNumber = -1): RawCallFrame {
  return { functionName, scriptId: "1", url, lineNumber, columnNumber: lineNumber < 0 ? -1 : 0 };
}

/**
 * A small profile: `(root)` with the given top-level nodes. Node ids are
 * positions in `nodes` plus 2 (id 1 is the root).
 */
function profileOf(nodes: Array<{ callFrame: RawCallFrame; children?: number[]; hitCount?: number }>, rest: Partial<RawProfile>): string {
  const childIds = new Set(nodes.flatMap((node) => node.children ?? []));
  const topLevel = nodes.map((_, index) => index + 2).filter((id) => !childIds.has(id));
  const profile: RawProfile = {
    nodes: [{ id: 1, callFrame: frame("(root)"), children: topLevel }, ...nodes.map((node, index) => ({ id: index + 2, ...node }))],
    startTime: 0,
    endTime: 1000,
    ...rest,
  };
  return JSON.stringify(profile);
}

function assertInputError(text: string, message: RegExp): void {
  assert.throws(
    () => read(text),
    (error: unknown) => error instanceof InputError && error.source === "test.cpuprofile" && message.test(error.message),
  );
}

/** Sum of self values per frame name over the whole tree. */
function selfByFrameName(tree: StackTree): Map<string, number> {
  const sums = new Map<string, number>();
  for (const node of tree.leaves()) {
    if (node === tree.root) continue;
    const name = tree.nameOfNode(node);
    sums.set(name, (sums.get(name) ?? 0) + tree.self(node));
  }
  return sums;
}

function rootChildNames(tree: StackTree): string[] {
  return tree.children(tree.root).map((node) => tree.nameOfNode(node));
}

function assertClose(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), `${actual} is not ${expected}`);
}

// ---------------------------------------------------------------- the real profile

/** Frame names as documented: `fn (path:line)` with file:// stripped and 1-based lines. */
function expectedFrameName({ functionName, url, lineNumber }: RawCallFrame): string {
  const name = functionName === "" ? "(anonymous)" : functionName;
  return url === "" ? name : `${name} (${url.replace(/^file:\/\//, "")}:${lineNumber + 1})`;
}

/** Samples per frame name, counted straight from the JSON. */
function expectedSelfCounts(profile: RawProfile): Map<string, number> {
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map<string, number>();
  for (const id of profile.samples ?? []) {
    const name = expectedFrameName(nodesById.get(id)!.callFrame);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

describe("readCpuProfile on samples/node/workload.cpuprofile", () => {
  const tree = read(SAMPLE_TEXT);
  const samples = SAMPLE.samples!;

  it("counts every sample once", () => {
    assert.equal(tree.totals()[tree.root], samples.length);
  });

  it("gives each frame the self count the JSON's samples give it", () => {
    assert.deepEqual(selfByFrameName(tree), expectedSelfCounts(SAMPLE));
  });

  it("shows the workload's own functions, recursion included", () => {
    const names = new Set(tree.names.map((name) => name.split(" (")[0]));
    for (const fn of ["main", "fibonacci", "multiply", "parseLogLines", "roundTripJson", "buildReport", "churnGarbage", "nextRandom"]) {
      assert.ok(names.has(fn), `${fn} missing`);
    }
    const fibonacci = /^fibonacci \(\/.*\/samples\/node\/workload\.js:\d+\)$/;
    const deepest = Math.max(...[...tree.leaves()].map((node) => tree.stackOf(node).filter((f) => fibonacci.test(f)).length));
    assert.ok(deepest >= 10, `deepest fibonacci recursion is only ${deepest} frames`);
  });

  it("keeps V8's pseudo-frames at the top level and drops (root)", () => {
    const sampledIds = new Set(samples);
    const pseudo = SAMPLE.nodes
      .filter((node) => sampledIds.has(node.id) && ["(program)", "(idle)", "(garbage collector)"].includes(node.callFrame.functionName))
      .map((node) => node.callFrame.functionName);
    assert.ok(pseudo.includes("(garbage collector)"), "the workload should make the collector show up");
    for (const name of pseudo) assert.ok(rootChildNames(tree).includes(name), `${name} is not top-level`);
    assert.ok(!tree.names.includes("(root)"));
    assert.ok(!tree.names.some((name) => name.includes("file://")));
  });

  it("weights by time: each sample lasts until the next, the last one the average interval", () => {
    const timed = new StackTree();
    const meta = readCpuProfile(SAMPLE_TEXT, "workload.cpuprofile", { sampleIndex: "time" }, timed);
    assert.deepEqual(meta, { sampleType: "time", unit: "microseconds" });
    const deltas = SAMPLE.timeDeltas!;
    assert.ok(deltas.every((delta) => delta >= 0), "node writes deltas in time order");
    const betweenSamples = deltas.slice(1).reduce((sum, delta) => sum + delta, 0);
    assertClose(timed.totals()[timed.root], betweenSamples + betweenSamples / (deltas.length - 1));
  });
});

// ---------------------------------------------------------------- hand-written profiles

describe("readCpuProfile on small profiles", () => {
  const main = frame("main", "file:///app/main.js", 0);
  const work = frame("work", "file:///app/main.js", 9);

  it("returns sample counts by default", () => {
    const tree = new StackTree();
    const meta = readCpuProfile(profileOf([{ callFrame: main }], { samples: [2, 2] }), "x", {}, tree);
    assert.deepEqual(meta, { sampleType: "samples", unit: "samples" });
    assert.deepEqual(foldedLines(tree), ["main (/app/main.js:1) 2"]);
  });

  it("gives sample i the delta after it, and the last sample the average interval", () => {
    // Samples at t = 100, 110, 130, 160: A lasts 10 + 30, B 20, C (last) the average of 10, 20, 30.
    const text = profileOf([{ callFrame: frame("A") }, { callFrame: frame("B") }, { callFrame: frame("C") }], {
      samples: [2, 3, 2, 4],
      timeDeltas: [100, 10, 20, 30],
    });
    assert.deepEqual(foldedLines(read(text, "time")), ["A 40", "B 20", "C 20"]);
    assert.deepEqual(foldedLines(read(text, "1")), ["A 40", "B 20", "C 20"], "sample index 1 is time");
  });

  it("orders samples by time before measuring them", () => {
    // Deltas 100, -60, 100 put the samples at A = 100, B = 40, C = 140: B lasts 60, A 40, C (last) 50.
    const text = profileOf([{ callFrame: frame("A") }, { callFrame: frame("B") }, { callFrame: frame("C") }], {
      samples: [2, 3, 4],
      timeDeltas: [100, -60, 100],
    });
    assert.deepEqual(foldedLines(read(text, "time")), ["A 40", "B 60", "C 50"]);
  });

  it("falls back to hitCount when there is no samples list", () => {
    const text = profileOf([{ callFrame: main, children: [3], hitCount: 1 }, { callFrame: work, hitCount: 3 }], {});
    assert.deepEqual(foldedLines(read(text)), ["main (/app/main.js:1) 1", "main (/app/main.js:1);work (/app/main.js:10) 3"]);
    // startTime 0 to endTime 1000 spread over 4 hits.
    assert.deepEqual(foldedLines(read(text, "time")), ["main (/app/main.js:1) 250", "main (/app/main.js:1);work (/app/main.js:10) 750"]);
  });

  it("names frames: (anonymous), 1-based lines, bare names without a url, other urls as given", () => {
    const text = profileOf(
      [
        { callFrame: frame("", "file:///app/main.js", 4), children: [3] },
        { callFrame: frame("readFile", "node:fs", 99), children: [4] },
        { callFrame: frame("(program)") },
        { callFrame: frame("nativeSort") },
      ],
      { samples: [4, 5] },
    );
    assert.deepEqual(foldedLines(read(text)), ["(anonymous) (/app/main.js:5);readFile (node:fs:100);(program) 1", "nativeSort 1"]);
  });

  it("keeps time order in a flame chart tree", () => {
    const text = profileOf([{ callFrame: frame("A") }, { callFrame: frame("B") }], { samples: [2, 2, 3, 2] });
    assert.deepEqual(rootChildNames(read(text, undefined, "adjacent")), ["A", "B", "A"]);
    assert.deepEqual(rootChildNames(read(text)), ["A", "B"]);
  });

  it("accepts a profile wrapped in cpuProfile or profile", () => {
    const inner = JSON.parse(profileOf([{ callFrame: main }], { samples: [2] }));
    for (const key of ["cpuProfile", "profile"]) {
      assert.deepEqual(foldedLines(read(JSON.stringify({ [key]: inner }))), ["main (/app/main.js:1) 1"]);
    }
  });

  it("builds a 100,000-frame stack without overflowing", () => {
    const depth = 100_000;
    const nodes = Array.from({ length: depth }, (_, i) => ({
      callFrame: frame(`f${i}`),
      children: i + 1 < depth ? [i + 3] : undefined,
    }));
    const tree = read(profileOf(nodes, { samples: [depth + 1, depth + 1] }));
    const leaf = [...tree.leaves()];
    assert.equal(leaf.length, 1);
    assert.equal(tree.stackOf(leaf[0]).length, depth);
    assert.equal(tree.totals()[tree.root], 2);
  });
});

describe("readCpuProfile errors", () => {
  it("reports truncated JSON with its offset", () => {
    const text = profileOf([{ callFrame: frame("A") }], { samples: [2] });
    assertInputError(text.slice(0, 40), /^truncated JSON at offset 40$/);
    assertInputError(SAMPLE_TEXT.slice(0, 5000), /^truncated JSON at offset 5000$/);
  });

  it("reports malformed JSON with its offset", () => {
    assertInputError('{"nodes": [1 2]}', /^invalid JSON at offset 13: Expected ',' or ']' after array element$/);
    // V8 gives no offset for an unexpected token, and quotes the source around it over several lines.
    assertInputError(`{"nodes": [${"1,\n".repeat(30)}x]}`, /^invalid JSON: Unexpected token 'x'$/);
  });

  it("rejects JSON that is not a CPU profile", () => {
    assertInputError('{"traceEvents": []}', /^not a V8 CPU profile: missing nodes$/);
    assertInputError("[1, 2, 3]", /^not a V8 CPU profile: missing nodes$/);
    assertInputError('{"nodes": [{"id": 1}]}', /^not a V8 CPU profile: nodes\[0\] has no id or callFrame$/);
  });

  it("rejects samples of unknown nodes", () => {
    assertInputError(profileOf([{ callFrame: frame("A") }], { samples: [2, 99] }), /^sample 1 refers to unknown node 99$/);
  });

  it("rejects inconsistent call trees and timings", () => {
    assertInputError(profileOf([{ callFrame: frame("A"), children: [7] }], { samples: [2] }), /^node 2 lists unknown child 7$/);
    assertInputError(profileOf([{ callFrame: frame("A") }], { samples: [2, 2], timeDeltas: [1] }), /^timeDeltas has 1 entries but samples has 2$/);
    assertInputError(profileOf([{ callFrame: frame("A") }], { samples: [] }), /^V8 CPU profile holds no samples$/);
  });

  it("rejects a cycle in the call tree", () => {
    const text = JSON.stringify({
      nodes: [
        { id: 1, callFrame: frame("A"), children: [2] },
        { id: 2, callFrame: frame("B"), children: [1] },
      ],
      samples: [1],
    });
    assertInputError(text, /^cycle in the profile's call tree$/);
  });

  it("rejects an unknown sample index", () => {
    assert.throws(
      () => read(profileOf([{ callFrame: frame("A") }], { samples: [2] }), "cpu"),
      (error: unknown) => error instanceof InputError && /no sample type "cpu"; this profile has: samples, time/.test(error.message),
    );
  });
});

describe("looksLikeCpuProfile", () => {
  it("recognises the head of a real profile", () => {
    assert.ok(looksLikeCpuProfile(SAMPLE_TEXT.slice(0, 4096)));
    assert.ok(looksLikeCpuProfile(`\uFEFF  ${SAMPLE_TEXT.slice(0, 4096)}`));
  });

  it("rejects other inputs", () => {
    assert.ok(!looksLikeCpuProfile("main;work 3\nmain 1\n"));
    assert.ok(!looksLikeCpuProfile('{"traceEvents": [{"name": "nodes"}]}'));
    assert.ok(!looksLikeCpuProfile('[{"nodes": [], "samples": []}]'));
  });
});
