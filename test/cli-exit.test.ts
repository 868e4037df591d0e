/**
 * Exit codes and the -o file: 0 with the file in place, 1 for bad input and
 * 2 for bad usage, each failure leaving neither an output file nor a
 * temporary file behind, and the codes stated in --help.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";

const cpuPprof = join(repoRoot, "samples/goprog/cpu.pprof");

/** A fresh directory per test, so that anything left behind shows. */
const emptyDir = () => scratchDir("exit");

test("success exits 0 and leaves exactly the output file", () => {
  const dir = emptyDir();
  const run = runCli([cpuPprof, "-o", join(dir, "cpu.svg")]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "");
  assert.deepEqual(readdirSync(dir), ["cpu.svg"]);
  assert.match(readFileSync(join(dir, "cpu.svg"), "utf8"), /<\/svg>$/);
});

test("bad input exits 1 with one line on stderr, and leaves no output or temporary file", () => {
  const dir = emptyDir();
  const input = join(dir, "notes.txt");
  writeFileSync(input, "no stacks here\n");
  const run = runCli([input, "-o", join(dir, "out.svg")]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, new RegExp(`^torch: ${input}: [^\\n]+\\n$`));
  assert.deepEqual(readdirSync(dir), ["notes.txt"]);
});

test("a failed run leaves an existing output file as it was", () => {
  const dir = emptyDir();
  const output = join(dir, "out.svg");
  writeFileSync(output, "previous graph");
  const run = runCli([join(dir, "missing.pprof"), "-o", output]);
  assert.equal(run.status, 1);
  assert.equal(readFileSync(output, "utf8"), "previous graph");
  assert.deepEqual(readdirSync(dir), ["out.svg"]);
});

test("bad usage exits 2 before touching the output file", () => {
  const dir = emptyDir();
  const output = join(dir, "out.svg");
  for (const args of [["--no-such-flag"], ["--width", "0"], ["--minwidth", "wide"]]) {
    const run = runCli([...args, cpuPprof, "-o", output]);
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, /^torch: .*\nTry 'torch --help'\.\n$/);
  }
  assert.deepEqual(readdirSync(dir), []);
});

test("an output file that cannot be written exits 2 with one line, leaving nothing behind", () => {
  const dir = emptyDir();
  const cases = [
    { output: join(dir, "no-such-dir", "out.svg"), reason: /its directory does not exist/ },
    { output: dir, reason: /is a directory/ },
  ];
  for (const { output, reason } of cases) {
    const run = runCli([cpuPprof, "-o", output]);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stderr.split("\n").length, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`^torch: cannot write ${output}: ${reason.source}`));
  }
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(existsSync(join(dir, "no-such-dir")), false);
});

test("a palette file that cannot be written back is the same one-line usage error", () => {
  const dir = emptyDir();
  const palette = join(dir, "no-such-dir", "palette.map");
  const run = runCli(["--palette-file", palette, "--folded", cpuPprof, "-o", join(dir, "out.svg")]);
  assert.equal(run.status, 0, "--folded never writes a palette");
  const drawn = runCli(["--palette-file", palette, cpuPprof, "-o", join(dir, "out.svg")]);
  assert.equal(drawn.status, 2, drawn.stderr);
  assert.equal(drawn.stderr, `torch: cannot write ${palette}: its directory does not exist\n`);
});

test("--help states the exit codes", () => {
  const help = runCli(["--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Exit status: 0 success, 1 bad input, 2 bad usage/);
});
