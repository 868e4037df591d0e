/**
 * Chrome trace-event JSON with V8 CPU profiles, recorded by headless Chromium
 * (scripts/make-chrome-trace-fixtures.sh). Oracles: the DevTools-protocol
 * profile of the same run as Profiler.stop returned it (page.cpuprofile, the same
 * profile the trace carries as its "Inspector" profile), and for the tracing
 * profiler's own profiles the stacks worked out here from the events' nodes and samples.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";
import { foldedMap, stackDiff } from "./support/folded.js";

const dir = join(repoRoot, "test/fixtures/chrome-trace");
const fixture = (name: string) => join(dir, name);

interface CallFrame {
  functionName: string;
  url?: string;
  lineNumber?: number;
}

/** A frame as DevTools shows it and as torch names `.cpuprofile` frames: `name (file:line)`. */
function frameName({ functionName, url = "", lineNumber = -1 }: CallFrame): string {
  const file = url.replace(/^file:\/\//, "");
  return (functionName || "(anonymous)") + (file ? ` (${file}${lineNumber >= 0 ? `:${lineNumber + 1}` : ""})` : "");
}

/** Sample counts per stack, from each sample's node up its parents; the (root) node left out. */
function stacksOf(parentOf: Map<number, number | undefined>, frameOf: Map<number, CallFrame>, samples: number[], prefix: string[] = []): Map<string, number> {
  const stacks = new Map<string, number>();
  for (const sample of samples) {
    const frames: string[] = [];
    for (let node: number | undefined = sample; node !== undefined; node = parentOf.get(node)) {
      if (parentOf.get(node) !== undefined || frameOf.get(node)!.functionName !== "(root)") frames.unshift(frameName(frameOf.get(node)!));
    }
    const stack = [...prefix, ...frames].join(";");
    stacks.set(stack, (stacks.get(stack) ?? 0) + 1);
  }
  return stacks;
}

/** The stacks of the `.cpuprofile` Profiler.stop returned (nodes with children lists). */
function cpuProfileStacks(path: string, prefix: string[] = []): Map<string, number> {
  const profile = JSON.parse(readFileSync(path, "utf8")) as { nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>; samples: number[] };
  const parentOf = new Map<number, number | undefined>();
  const frameOf = new Map<number, CallFrame>();
  for (const node of profile.nodes) {
    frameOf.set(node.id, node.callFrame);
    if (!parentOf.has(node.id)) parentOf.set(node.id, undefined);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  return stacksOf(parentOf, frameOf, profile.samples, prefix);
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  id?: string;
  args: { name?: string; data?: { source?: string; cpuProfile?: { nodes?: Array<{ id: number; parent?: number; callFrame: CallFrame }>; samples?: number[] } } };
}

/** Per profile (process and id) in the trace: its thread's label and its stacks, from the ProfileChunk events. */
function traceStacks(path: string): Map<string, Map<string, number>> {
  const events = (JSON.parse(readFileSync(path, "utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  const names = new Map(events.filter((e) => e.ph === "M").map((e) => [`${e.name} ${e.pid} ${e.tid}`, e.args.name]));
  const processName = (pid: number) => events.find((e) => e.name === "process_name" && e.pid === pid)!.args.name;
  const result = new Map<string, Map<string, number>>();
  for (const profile of events.filter((e) => e.name === "Profile")) {
    const chunks = events.filter((e) => e.name === "ProfileChunk" && e.pid === profile.pid && e.id === profile.id);
    const parentOf = new Map<number, number | undefined>();
    const frameOf = new Map<number, CallFrame>();
    const samples: number[] = [];
    for (const chunk of chunks) {
      for (const node of chunk.args.data?.cpuProfile?.nodes ?? []) {
        parentOf.set(node.id, node.parent);
        frameOf.set(node.id, node.callFrame);
      }
      samples.push(...(chunk.args.data?.cpuProfile?.samples ?? []));
    }
    const label = `${processName(profile.pid)} ${profile.pid} / ${names.get(`thread_name ${profile.pid} ${profile.tid}`)} ${profile.tid}`;
    result.set(`${label}\t${profile.args.data?.source} profile ${profile.id}`, stacksOf(parentOf, frameOf, samples));
  }
  return result;
}

function torchFolded(args: string[], input?: Buffer): Map<string, number> {
  const run = runCli(["--folded", ...args], input);
  assert.equal(run.status, 0, run.stderr);
  return foldedMap(run.stdout);
}

function assertSameStacks(actual: Map<string, number>, expected: Map<string, number>): void {
  assert.deepEqual(stackDiff(expected, actual), []);
  assert.ok(expected.size > 0);
}

/** The stacks under one root frame, without it. */
function under(root: string, stacks: Map<string, number>): Map<string, number> {
  return new Map([...stacks].filter(([stack]) => stack.startsWith(`${root};`)).map(([stack, count]) => [stack.slice(root.length + 1), count]));
}

test("a page trace holds the same profile as the DevTools protocol's Profiler.stop of that run", () => {
  const ours = torchFolded([fixture("page.trace.json")]);
  const roots = [...new Set([...ours.keys()].map((stack) => stack.split(";")[0]))].sort();
  assert.equal(roots.length, 2, roots.join("\n"));
  const inspector = roots.find((root) => root.endsWith("/ Inspector profile 0x1"))!;
  assert.match(inspector, /^Renderer \d+ \/ CrRendererMain \d+ \/ Inspector profile 0x1$/);
  assertSameStacks(under(inspector, ours), cpuProfileStacks(fixture("page.cpuprofile")));
  assert.ok([...ours.keys()].some((stack) => stack.includes("work (https://torch.example/busy.js:12);fib (https://torch.example/busy.js:2)")));
});

test("time weights: the trace's protocol profile weighs what its .cpuprofile weighs", () => {
  const ours = torchFolded(["--sample-index", "time", fixture("page.trace.json")]);
  const inspector = [...ours.keys()].find((stack) => stack.includes("/ Inspector profile"))!.split(";")[0];
  assertSameStacks(under(inspector, ours), torchFolded(["--sample-index", "time", fixture("page.cpuprofile")]));
});

test("every profile of a trace, under its process and thread, with the stacks its chunks hold", () => {
  for (const file of ["page.trace.json", "startup.json"]) {
    const expected = traceStacks(fixture(file));
    const ours = torchFolded([fixture(file)]);
    const several = expected.size > 1;
    const labels = [...expected.keys()].map((key) => key.split("\t"));
    const sameThread = (label: string) => labels.filter(([other]) => other === label).length > 1;
    for (const [key, stacks] of expected) {
      const [label, name] = key.split("\t");
      const root = sameThread(label) ? `${label} / ${name}` : label;
      assertSameStacks(several ? under(root, ours) : ours, stacks);
    }
    const total = [...expected.values()].reduce((sum, stacks) => sum + [...stacks.values()].reduce((a, b) => a + b, 0), 0);
    assert.equal([...ours.values()].reduce((a, b) => a + b, 0), total, file);
  }
  // The startup trace: two renderer processes, one profile each, told apart by process.
  const startupRoots = new Set([...torchFolded([fixture("startup.json")]).keys()].map((stack) => stack.split(";")[0]));
  assert.equal(startupRoots.size, 2);
  for (const root of startupRoots) assert.match(root, /^Renderer \d+ \/ CrRendererMain \d+$/);
});

test("the bare-array form, also without its closing bracket, reads as the object form", () => {
  const objectForm = torchFolded([fixture("page.trace.json")]);
  assert.deepEqual(torchFolded([fixture("page.array.json")]), objectForm);
  const cut = readFileSync(fixture("page.array.json"), "utf8").trimEnd().replace(/\]$/, "");
  assert.deepEqual(torchFolded(["-"], Buffer.from(`${cut},\n`)), objectForm);
});

test("a single profile needs no thread frame, and the .cpuprofile itself is not taken for a trace", () => {
  const events = (JSON.parse(readFileSync(fixture("page.trace.json"), "utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  const inspectorId = events.find((e) => e.name === "Profile" && e.args.data?.source === "Inspector")!.id;
  const alone = events.filter((e) => !(e.name.startsWith("Profile") && e.id !== inspectorId));
  const expected = cpuProfileStacks(fixture("page.cpuprofile"));
  assertSameStacks(torchFolded(["-"], Buffer.from(JSON.stringify({ traceEvents: alone }))), expected);
  assertSameStacks(torchFolded([fixture("page.cpuprofile")]), expected);
});

test("a trace without profiler events says how to record one", () => {
  const events = (JSON.parse(readFileSync(fixture("page.trace.json"), "utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  const run = runCli(["--folded", "-"], Buffer.from(JSON.stringify({ traceEvents: events.filter((e) => !e.name.startsWith("Profile")) })));
  assert.equal(run.status, 1);
  assert.equal(run.stderr, "torch: <stdin>: Chrome trace holds no CPU profile samples (record it with the disabled-by-default-v8.cpu_profiler category)\n");
});
