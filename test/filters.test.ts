/**
 * pprof-style filters: their rules on stacks worked out by hand, then the
 * whole CLI against go tool pprof on the real Go samples (the stacks an SVG
 * draws must be those pprof keeps with the same flags).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { filterStacks, shortFunctionName, type StackFilters, StackTree } from "torch-flamegraph";
import { createLabelFilter, foldedLines } from "#internals";
import { runCli, corpusDir } from "./support/cli.js";
import { goPprofRaw, goSamplesDir } from "./support/go-pprof.js";
import { parsePprofRaw } from "./support/pprof-raw.js";
import { foldedMap, stackDiff } from "./support/folded.js";
import { svgStacks } from "./support/svg-stacks.js";
import { frameName, parseSvg } from "./support/svg.js";

const cpuProfile = join(goSamplesDir, "cpu.pprof");

function treeOf(stacks: Record<string, number>): StackTree {
  const tree = new StackTree();
  for (const [stack, value] of Object.entries(stacks)) tree.add(stack.split(";"), value);
  return tree;
}

function filtered(stacks: Record<string, number>, filters: StackFilters): Map<string, number> {
  return foldedMap(foldedLines(filterStacks(treeOf(stacks), filters).tree).join("\n"));
}

const SAMPLE = { "main;a;b": 10, "main;a;c;b": 5, "main;d": 3, "main;a": 2 };

test("focus keeps, ignore drops, stacks with a matching frame anywhere", () => {
  assert.deepEqual(filtered(SAMPLE, { focus: /b/ }), new Map([["main;a;b", 10], ["main;a;c;b", 5]]));
  assert.deepEqual(filtered(SAMPLE, { ignore: /c/ }), new Map([["main;a;b", 10], ["main;a", 2], ["main;d", 3]]));
  // An ignored frame wins over a focused one in the same stack.
  assert.deepEqual(filtered(SAMPLE, { focus: /b/, ignore: /c/ }), new Map([["main;a;b", 10]]));
});

test("hide removes frames and keeps their stacks; a stack left empty is dropped", () => {
  assert.deepEqual(filtered(SAMPLE, { hide: /^a$/ }), new Map([["main;b", 10], ["main;c;b", 5], ["main;d", 3], ["main", 2]]));
  const none = filterStacks(treeOf(SAMPLE), { hide: /./ }).tree;
  assert.equal(none.totals()[none.root], 0);
  // focus judges the stack before hide removes the frame it matched
  assert.deepEqual(filtered(SAMPLE, { focus: /^a$/, hide: /^a$/ }), new Map([["main;b", 10], ["main;c;b", 5], ["main", 2]]));
});

test("prune-from folds callees into the deepest matching frame", () => {
  assert.deepEqual(filtered(SAMPLE, { pruneFrom: /^a$/ }), new Map([["main;a", 17], ["main;d", 3]]));
  // recursion: the cut is at the match nearest the leaf, as pprof scans from the leaf
  assert.deepEqual(filtered({ "f;g;f;h": 4, "f;k": 1 }, { pruneFrom: /^f$/ }), new Map([["f;g;f", 4], ["f", 1]]));
  // hide runs first, so a hidden frame cannot be pruned from
  assert.deepEqual(filtered({ "main;x;a;y": 4 }, { hide: /^a$/, pruneFrom: /^a$/ }), new Map([["main;x;y", 4]]));
});

test("filters that match no frame name are reported", () => {
  // hide matches d even though focus leaves no stack to hide it from
  assert.deepEqual(filterStacks(treeOf(SAMPLE), { focus: /zzz/, hide: /^d$/, pruneFrom: /q/ }).unmatched.sort(), ["focus", "pruneFrom"]);
});

test("short names drop the Go import path up to the package", () => {
  const cases: Array<[string, string]> = [
    ["github.com/x/y/pkg.Func", "pkg.Func"],
    ["github.com/x/y/pkg.(*T).Method.func1", "pkg.(*T).Method.func1"],
    ["runtime/pprof.Do", "pprof.Do"],
    ["gopkg.in/yaml.v3.(*decoder).unmarshal", "yaml.v3.(*decoder).unmarshal"],
    ["main.(*T).m", "main.(*T).m"],
    ["runtime.mallocgc", "runtime.mallocgc"],
    ["example.com/m.F[...]", "m.F[...]"],
    ["/usr/lib/libc.so.6", "/usr/lib/libc.so.6"],
    ["[unknown]", "[unknown]"],
    ["lib/noext", "lib/noext"],
  ];
  for (const [name, short] of cases) assert.equal(shortFunctionName(name), short, name);
  assert.deepEqual(
    filtered({ "a/b.F;c/d.G": 1, "x/b.F;c/d.G": 2 }, { shortNames: true }),
    new Map([["b.F;d.G", 3]]),
    "names that become equal merge",
  );
});

test("tag filters: key=RE,RE matches that key's values; a bare RE must match some key:value", () => {
  const keep = (spec: Parameters<typeof createLabelFilter>[0], labels: string[]) => createLabelFilter(spec)!.keep(labels);
  const hashLabels = ["phase=hash", "worker=3"];
  assert.equal(keep({ tagFocus: "phase=hash" }, hashLabels), true);
  assert.equal(keep({ tagFocus: "phase=as" }, hashLabels), true, "value regexes are not anchored");
  assert.equal(keep({ tagFocus: "phase=warm,^h" }, hashLabels), true, "any of the comma-separated regexes");
  assert.equal(keep({ tagFocus: "worker=hash" }, hashLabels), false, "only the named key's values");
  assert.equal(keep({ tagFocus: "phase=hash" }, []), false, "an unlabelled sample has no such label");
  assert.equal(keep({ tagFocus: "hash" }, hashLabels), true);
  assert.equal(keep({ tagFocus: "phase:h" }, hashLabels), true, "bare regexes see key:value");
  assert.equal(keep({ tagFocus: "hash,worker:3" }, hashLabels), true, "every bare regex must match");
  assert.equal(keep({ tagFocus: "hash,worker:4" }, hashLabels), false);
  assert.equal(keep({ tagIgnore: "phase=hash" }, hashLabels), false);
  assert.equal(keep({ tagIgnore: "phase=hash" }, ["phase=warm"]), true);
  assert.equal(keep({ tagFocus: "worker=3", tagIgnore: "phase=hash" }, hashLabels), false, "ignore wins");
  assert.equal(createLabelFilter({}), undefined);

  const filter = createLabelFilter({ tagFocus: "phase=hash", tagIgnore: "phase=nothing" })!;
  assert.deepEqual(filter.unmatched(), [], "nothing judged, nothing to report");
  filter.keep(hashLabels);
  assert.deepEqual(filter.unmatched(), ["tagignore"]);
});

/**
 * torch flags and the go tool pprof flags with the same meaning. The regexes
 * avoid text that occurs in the samples' file and binary names (pprof matches
 * those too; torch knows only function names), and names with "(" for
 * -prune_from (pprof matches those cut at the "(").
 */
const ORACLE_CASES: Array<{ torch: string[]; pprof: string[] }> = [
  { torch: ["--focus", "hashUntil"], pprof: ["-focus=hashUntil"] },
  { torch: ["--focus", "rotl"], pprof: ["-focus=rotl"] },
  { torch: ["--ignore", "fib"], pprof: ["-ignore=fib"] },
  { torch: ["--ignore", "pprof\\.Do|render"], pprof: ["-ignore=pprof\\.Do|render"] },
  { torch: ["--hide", "mix"], pprof: ["-hide=mix"] },
  { torch: ["--hide", "fib|recurseUntil"], pprof: ["-hide=fib|recurseUntil"] },
  { torch: ["--prune-from", "hashUntil"], pprof: ["-prune_from=hashUntil"] },
  { torch: ["--prune-from", "render"], pprof: ["-prune_from=render"] },
  { torch: ["--prune-from", "Join"], pprof: ["-prune_from=Join"] },
  { torch: ["--tagfocus", "phase=hash"], pprof: ["-tagfocus=phase=hash"] },
  { torch: ["--tagignore", "phase=hash"], pprof: ["-tagignore=phase=hash"] },
  { torch: ["--tagfocus", "hash"], pprof: ["-tagfocus=hash"] },
  {
    torch: ["--focus", "rotl|fib", "--ignore", "asyncPreempt", "--hide", "mix", "--prune-from", "recurseUntil"],
    pprof: ["-focus=rotl|fib", "-ignore=asyncPreempt", "-hide=mix", "-prune_from=recurseUntil"],
  },
];

for (const { torch, pprof } of ORACLE_CASES) {
  test(`the SVG draws what go tool pprof keeps: ${torch.join(" ")}`, () => {
    const expected = parsePprofRaw(goPprofRaw("cpu.pprof", pprof)).stacks.get("cpu")!;
    assert.ok(expected.size > 0, "the case keeps something");
    const run = runCli([...torch, "--minwidth", "0", cpuProfile]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(stackDiff(expected, svgStacks(parseSvg(run.stdout))), []);
  });
}

test("the cases above change the graph (else they would prove nothing)", () => {
  const unfiltered = parsePprofRaw(goPprofRaw("cpu.pprof")).stacks.get("cpu")!;
  for (const { pprof } of ORACLE_CASES) {
    const kept = parsePprofRaw(goPprofRaw("cpu.pprof", pprof)).stacks.get("cpu")!;
    assert.notDeepEqual(kept, unfiltered, pprof.join(" "));
  }
});

test("--prune-from matches whole names, so Go methods can be pruned from (pprof cuts names at '(')", () => {
  const handler = "main.serveRequests.func1;main.(*Server).handle";
  const expected = new Map<string, number>();
  for (const [stack, value] of parsePprofRaw(goPprofRaw("cpu.pprof")).stacks.get("cpu")!) {
    const key = stack.startsWith(handler + ";") ? handler : stack;
    expected.set(key, (expected.get(key) ?? 0) + value);
  }
  // The sample has five 10 ms stacks through the handler, all below it.
  assert.equal(expected.get(handler), 50_000_000);
  const run = runCli(["--folded", "--prune-from", "\\(\\*Server\\)\\.handle", cpuProfile]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(stackDiff(expected, foldedMap(run.stdout)), []);
});

test("--folded applies the filters too", () => {
  const expected = parsePprofRaw(goPprofRaw("cpu.pprof", ["-focus=hashUntil", "-hide=mix"])).stacks.get("cpu")!;
  const run = runCli(["--folded", "--focus", "hashUntil", "--hide", "mix", cpuProfile]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(stackDiff(expected, foldedMap(run.stdout)), []);
});

test("--short-names shortens only the import-path names in the SVG", () => {
  const full = new Set([...parsePprofRaw(goPprofRaw("cpu.pprof")).stacks.get("cpu")!.keys()].flatMap((stack) => stack.split(";")));
  assert.ok(full.has("runtime/pprof.Do"), "the sample has an import-path name");
  // By hand: runtime/pprof.Do is the sample's one frame with a slash.
  const expected = new Set([...full].map((name) => (name === "runtime/pprof.Do" ? "pprof.Do" : name)));
  const run = runCli(["--short-names", "--minwidth", "0", cpuProfile]);
  assert.equal(run.status, 0, run.stderr);
  const [, ...frames] = parseSvg(run.stdout).frames;
  assert.deepEqual(new Set(frames.map((frame) => frameName(frame.title))), expected);
});

test("filters that match nothing, and tag filters on unlabelled formats, are warned about", () => {
  const run = runCli(["--focus", "noSuchFunction", cpuProfile]);
  assert.equal(run.status, 0);
  assert.match(run.stderr, /warning: --focus matched nothing/);
  assert.equal(parseSvg(run.stdout).frames.length, 0, "nothing to draw");

  const folded = join(corpusDir, "flamegraph-folded", "folded", "example-dtrace.folded");
  const tagged = runCli(["--tagfocus", "phase=hash", folded]);
  assert.equal(tagged.status, 0);
  assert.match(tagged.stderr, /example-dtrace\.folded: warning: --tagfocus\/--tagignore ignored: only pprof profiles carry labels/);
  assert.ok(parseSvg(tagged.stdout).frames.length > 1, "the folded stacks are drawn unfiltered");
});

test("bad regexes are usage errors", () => {
  for (const args of [["--focus", "("], ["--prune-from", "[a"], ["--tagfocus", "phase=("]]) {
    const run = runCli([...args, cpuProfile]);
    assert.equal(run.status, 2, args.join(" "));
    assert.match(run.stderr, /Invalid regular expression/);
  }
});
