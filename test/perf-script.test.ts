/**
 * perf script forms the FlameGraph corpus lacks, on real recordings made by
 * scripts/make-perf-fixtures.sh (test/fixtures/perf/README.md) and checked
 * against perf's own report and demangler on the same perf.data.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { demangleRustLegacy } from "#internals";
import { corpusDir, repoRoot, runCli } from "./support/cli.js";
import { foldedMap } from "./support/folded.js";

const fixtures = join(repoRoot, "test/fixtures/perf");
const perfCorpus = join(corpusDir, "flamegraph-perf/inputs");

function foldedOf(args: string[]): Map<string, number> {
  const run = runCli(["--folded", ...args]);
  assert.equal(run.status, 0, run.stderr);
  return foldedMap(run.stdout);
}

test("perf record without -g: one-line samples, auto-detected, summed per symbol as perf report does", () => {
  // perf report --sort comm,dso,sym -F period,sample,comm,dso,sym, rows like
  // "  140280560   70  busy  busy  [.] spin"; unresolved symbols are shown as
  // 0x<address>, which torch (as stackcollapse-perf.pl) names [dso].
  const expected = new Map<string, number>();
  for (const row of readFileSync(join(fixtures, "busy-no-callgraph.report.txt"), "utf8").split("\n")) {
    const match = /^\s*(\d+)\s+\d+\s+(\S+)\s+(\S+)\s+\[.\]\s+(.+?)\s*$/.exec(row);
    if (!match) continue;
    const [, period, comm, dso, symbol] = match;
    const frame = symbol.startsWith("0x") ? `[${dso}]` : symbol;
    expected.set(`${comm};${frame}`, (expected.get(`${comm};${frame}`) ?? 0) + Number(period));
  }
  assert.ok(expected.size >= 2);
  assert.deepEqual(foldedOf([join(fixtures, "busy-no-callgraph.txt")]), expected);
});

test("headers without a timestamp name their event: captures of one event compare and merge", () => {
  const cmd = join(perfCorpus, "perf-funcab-cmd-01.txt"); // func_ab 15285 28075374.517811: cpu-clock:
  const pid = join(perfCorpus, "perf-funcab-pid-01.txt"); // func_ab 15294 cpu-clock:
  const diff = runCli(["diff", "--folded", cmd, pid]);
  assert.equal(diff.status, 0, diff.stderr);
  const merged = runCli(["--folded", cmd, pid]);
  assert.equal(merged.status, 0, merged.stderr);

  const java = join(perfCorpus, "perf-java-stacks-02.txt"); // java 19983 cycles:
  const filtered = runCli(["--folded", "--event-filter", "cpu-clock", java]);
  assert.equal(filtered.status, 1);
  assert.match(filtered.stderr, /no samples of event "cpu-clock" in perf script output \(events present: cycles\)/);
  assert.equal(runCli(["--folded", "--event-filter", "cycles", java]).status, 0);
});

/** The symbol of each frame line (`address symbol+0xoffset (module)`), offset dropped. */
function frameSymbols(file: string): string[] {
  return readFileSync(join(fixtures, file), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("\t"))
    .map((line) => line.trim().replace(/^\S+\s+/, "").replace(/ \([^()]*\)$/, "").replace(/\+0x[0-9a-f]+$/, ""));
}

test("Rust legacy symbols are demangled as perf's own demangler shows them, frame by frame", () => {
  const mangled = frameSymbols("workers-mangled.txt");
  const demangled = frameSymbols("workers-demangled.txt");
  assert.equal(mangled.length, demangled.length, "both files come from one perf.data");
  let legacy = 0;
  for (let i = 0; i < mangled.length; i++) {
    if (!mangled[i].startsWith("_ZN")) continue;
    legacy++;
    assert.equal(demangleRustLegacy(mangled[i]), demangled[i]);
  }
  assert.ok(legacy > 50, `${legacy} legacy frames`);
});

test("--demangle gives the stacks perf's demangled output gives (v0 symbols aside)", () => {
  const mangled = frameSymbols("workers-mangled.txt");
  const demangled = frameSymbols("workers-demangled.txt");
  // Rust's v0 scheme (_R...), used here by std, is not demangled: name those frames as perf does.
  const v0 = new Map(mangled.flatMap((symbol, i) => (symbol.startsWith("_R") ? [[symbol, demangled[i]]] : [])));
  assert.ok(v0.size > 0);
  const ours = new Map<string, number>();
  for (const [stack, value] of foldedOf(["--demangle", join(fixtures, "workers-mangled.txt")])) {
    const renamed = stack.split(";").map((frame) => v0.get(frame) ?? frame).join(";");
    ours.set(renamed, (ours.get(renamed) ?? 0) + value);
  }
  assert.deepEqual(ours, foldedOf([join(fixtures, "workers-demangled.txt")]));
  assert.ok([...ours.keys()].some((stack) => stack.includes("<workers::Sorter as workers::Job>::run")));
});

test("Rust demangling by the documented rules: half-demangled perf output, suffixes, and what is left alone", () => {
  const cases: Array<[string, string]> = [
    ["_ZN3foo3bar17h05af221e174051e9E", "foo::bar"],
    ["_ZN3foo3bar17h05af221e174051e9E.llvm.1234", "foo::bar"],
    ["__ZN3foo3bar17h05af221e174051e9E", "foo::bar"],
    ["_ZN3foo5a.b.c17h05af221e174051e9E", "foo::a.b.c"],
    ["_ZN3foo8$C$$u7e$17h05af221e174051e9E", "foo::,~"],
    ["_ZN4core3ptr12$RF$$BP$$SP$17h05af221e174051e9E", "core::ptr::&*@"],
    // Older perf prints legacy symbols half demangled (the corpus's perf-rust-Yamakaky-dcpu.txt).
    ["_$LT$term..terminfo..TerminfoTerminal$LT$T$GT$$GT$::new::hcd1c44cd143417f6", "<term::terminfo::TerminfoTerminal<T>>::new"],
    ["simplelog::termlog::TermLogger::init::_$u7b$$u7b$closure$u7d$$u7d$::h347f6695ed91405f", "simplelog::termlog::TermLogger::init::{{closure}}"],
    // Not legacy Rust: C++ names, a short hash, plain names.
    ["_ZN3foo3barEv", "_ZN3foo3barEv"],
    ["_ZN3foo3bar17h05af221e174051eE", "_ZN3foo3bar17h05af221e174051eE"],
    ["_ZN3foo", "_ZN3foo"],
    ["main", "main"],
  ];
  for (const [symbol, expected] of cases) assert.equal(demangleRustLegacy(symbol), expected, symbol);
});

test("--demangle on the corpus's half-demangled Rust capture leaves no hash or escape", () => {
  const frames = [...foldedOf(["--demangle", join(perfCorpus, "perf-rust-Yamakaky-dcpu.txt")]).keys()].flatMap((s) => s.split(";"));
  assert.ok(frames.includes("emulator::main"));
  assert.deepEqual(frames.filter((frame) => /::h[0-9a-f]{16}$|\$(LT|GT|C|u[0-9a-f]+)\$/.test(frame)), []);
});
