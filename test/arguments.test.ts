/**
 * The command line: arguments map to run options (called directly, as the
 * CLI does), mistakes are named as typed with the closest real option, and
 * the process-level behaviour (--version, the hint on a terminal) as a user
 * sees it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_OPTIONS } from "torch-flamegraph";
import { parseArguments, UsageError } from "#internals";
import { cliPath, corpusDir, repoRoot, runCli } from "./support/cli.js";

const cpuPprof = join(repoRoot, "samples/goprog/cpu.pprof");

async function runOptionsOf(argv: string[]) {
  const invocation = await parseArguments(argv);
  assert.equal(invocation.action, "run");
  return invocation;
}

async function usageErrorOf(argv: string[]): Promise<UsageError> {
  const error = await parseArguments(argv).then(
    () => assert.fail(`${argv.join(" ")} was accepted`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof UsageError, String(error));
  return error;
}

test("no flags: the documented defaults, standard input", async () => {
  const { options, warnings } = await runOptionsOf([]);
  assert.deepEqual(options.inputs, []);
  assert.deepEqual(options.drawing, { ...DEFAULT_OPTIONS, title: undefined, subtitle: undefined, countName: undefined, total: undefined, notes: undefined, minWidthIsPercent: false });
  assert.deepEqual(warnings, []);
});

test("drawing flags map one to one onto drawing options", async () => {
  const { options } = await runOptionsOf([
    "--width", "800", "--height", "20", "--minwidth", "0.5%", "--colors", "mem", "--bgcolors", "#102030",
    "--random", "--inverted", "--title", "T", "--fontsize", "9", "-oout.svg", "a.folded", "b.folded",
  ]);
  assert.deepEqual(options.inputs, ["a.folded", "b.folded"]);
  assert.equal(options.output, "out.svg");
  const { width, frameHeight, minWidth, minWidthIsPercent, palette, background, colourBy, inverted, title, fontSize } = options.drawing;
  assert.deepEqual(
    { width, frameHeight, minWidth, minWidthIsPercent, palette, background, colourBy, inverted, title, fontSize },
    { width: 800, frameHeight: 20, minWidth: 0.5, minWidthIsPercent: true, palette: "mem", background: ["#102030", "#102030"], colourBy: "random", inverted: true, title: "T", fontSize: 9 },
  );
});

test("--hash wins over --random, as in flamegraph.pl", async () => {
  assert.equal((await runOptionsOf(["--random"])).options.drawing.colourBy, "random");
  assert.equal((await runOptionsOf(["--hash", "--random"])).options.drawing.colourBy, "hash");
  assert.equal((await runOptionsOf(["--hash"])).options.drawing.colourBy, "hash");
});

test("the last of a repeated option wins", async () => {
  assert.equal((await runOptionsOf(["--width", "500", "--width", "600"])).options.drawing.width, 600);
});

test("unknown options are named as typed, with the closest real option", async () => {
  const cases: Array<[string[], string]> = [
    [["--show-from=x"], "unknown option --show-from (did you mean --prune-from?)"],
    [["--titel", "x"], "unknown option --titel (did you mean --title?)"],
    [["--sample_index", "1"], "unknown option --sample_index (did you mean --sample-index?)"],
    [["-focus=main"], "unknown option -focus (did you mean --focus?)"],
    [["--no-sort"], "unknown option --no-sort"],
    [["--no-revers"], "unknown option --no-revers (did you mean --no-reverse?)"],
    [["--colors", "hott"], '--colors takes one of hot, mem, io, wakeup, chain, java, js, perl, red, green, blue, aqua, yellow, purple, orange, not "hott" (did you mean hot?)'],
    [["--width"], "--width needs a value"],
    [["--diff-base", "-", "a.folded"], '--diff-base needs a value (to give it "-", write --diff-base=-)'],
    [["--minwidth", "200%"], "--minwidth 200%: a percentage of the total cannot exceed 100%"],
  ];
  for (const [argv, message] of cases) {
    const error = await usageErrorOf(argv);
    assert.equal(error.message, message, argv.join(" "));
    assert.equal(error.help, "torch --help");
  }
  const run = runCli(["--show-from=x", cpuPprof]);
  assert.equal(run.status, 2);
  assert.equal(run.stderr, "torch: unknown option --show-from (did you mean --prune-from?)\nTry 'torch --help'.\n");
});

test("mistakes in torch diff point to torch diff --help", async () => {
  for (const argv of [["diff", "a.pprof"], ["diff", "a", "b", "c"], ["diff", "--bogus", "a", "b"]]) {
    assert.equal((await usageErrorOf(argv)).help, "torch diff --help", argv.join(" "));
  }
  const run = runCli(["diff", "a.pprof"]);
  assert.equal(run.status, 2);
  assert.equal(run.stderr, "torch: diff compares two profiles, BEFORE and AFTER; got 1: a.pprof\nTry 'torch diff --help'.\n");
  const help = runCli(["diff", "--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^torch diff \[options\] BEFORE AFTER\n/);
});

test("--minwidth up to 100% is accepted", async () => {
  const { options } = await runOptionsOf(["--minwidth", "100%"]);
  assert.equal(options.drawing.minWidth, 100);
});

test("--version and -V print the package's version", () => {
  const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  for (const flag of ["--version", "-V"]) {
    const run = runCli([flag]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${version}\n`);
  }
});

test("live-profile options on a file say that they do not apply", async () => {
  const { warnings } = await runOptionsOf(["--seconds", "5", "--timeout", "9", cpuPprof]);
  assert.deepEqual(warnings, ["--seconds ignored: it applies to URL inputs only", "--timeout ignored: it applies to URL inputs only"]);
  const run = runCli(["--seconds", "5", "--folded", cpuPprof]);
  assert.equal(run.status, 0);
  assert.equal(run.stderr, "torch: warning: --seconds ignored: it applies to URL inputs only\n");
});

/**
 * Runs torch with standard input on a pseudo-terminal (python3's pty module)
 * and stdout/stderr on pipes; types `typed` once torch has written its
 * first line to stderr (or after 30 s), then ends input with Ctrl-D.
 */
function runOnTerminal(args: string[], typed: string): { stdout: string; stderr: string; status: number | null } {
  const driver = `
import os, pty, select, subprocess, sys
master, slave = pty.openpty()
child = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
os.close(slave)
# Waits for torch's first line, unless it never comes (then the test fails on its absence).
first = child.stderr.readline() if select.select([child.stderr], [], [], 30)[0] else b""
os.write(master, ${JSON.stringify(typed)}.encode() + b"\\x04")
out, err = child.communicate(timeout=60)
sys.stdout.buffer.write(out)
sys.stderr.buffer.write(first + err)
sys.exit(child.returncode)
`;
  const result = spawnSync("python3", ["-c", driver, process.execPath, cliPath, ...args], { encoding: "utf8", timeout: 120_000 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

test("on a terminal, torch with no input says what it waits for before it waits", () => {
  const run = runOnTerminal(["--folded"], "main;work 3\n");
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "torch: reading a profile from standard input (end with Ctrl-D); name a file or see 'torch --help'\n");
  assert.equal(run.stdout, "main;work 3\n");
  const piped = runCli(["--folded"], "main;work 3\n");
  assert.equal(piped.stderr, "", "no hint when standard input is not a terminal");
});

test("options for other formats say that they do not apply to this input", () => {
  const folded = join(corpusDir, "flamegraph-folded", "folded", "example-dtrace.folded");
  const perf = join(corpusDir, "flamegraph-perf", "inputs", "perf-funcab-cmd-01.txt");
  const cases: Array<[string[], string]> = [
    [["--sample-index", "alloc_space", folded], `${folded}: warning: --sample-index ignored: folded input has one kind of value (pprof and .cpuprofile have several)`],
    [["--sample-index", "1", perf], `${perf}: warning: --sample-index ignored: perf input has one kind of value (pprof and .cpuprofile have several)`],
    [["--pid", cpuPprof], `${cpuPprof}: warning: --pid ignored: it applies to perf script input, not pprof`],
    [["--tid", "--event-filter", "cycles", folded], `${folded}: warning: --tid, --event-filter ignored: they apply to perf script input, not folded`],
  ];
  for (const [args, warning] of cases) {
    const run = runCli(["--folded", ...args]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, `torch: ${warning}\n`);
    assert.equal(run.stdout, runCli(["--folded", args[args.length - 1]]).stdout, "the ignored option changes nothing");
  }
  // Where they apply, they are quiet.
  assert.equal(runCli(["--folded", "--pid", perf]).stderr, "");
  assert.equal(runCli(["--folded", "--sample-index", "0", cpuPprof]).stderr, "");
});
