/**
 * Outputs under hostile conditions (issue 13): -o writes through symbolic
 * links and into special files instead of replacing them, a signal while
 * writing leaves no temporary file, a full disk on standard output is one
 * line and exit 1, and control characters in any string option reach the
 * SVG escaped, never as an internal error.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test, type TestContext } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { cliPath as cli, repoRoot, runCli } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";
import { assertWellFormedXml } from "./support/well-formed.js";

const cpuPprof = join(repoRoot, "samples/goprog/cpu.pprof");

test("-o on a symbolic link replaces the file it points to and keeps the link", () => {
  const dir = scratchDir("out");
  mkdirSync(join(dir, "graphs"));
  writeFileSync(join(dir, "graphs/cpu.svg"), "old graph", { mode: 0o640 });
  symlinkSync("graphs/cpu.svg", join(dir, "latest.svg"));
  const run = runCli([cpuPprof, "-o", join(dir, "latest.svg")]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(lstatSync(join(dir, "latest.svg")).isSymbolicLink(), "the link is still a link");
  assert.equal(readlinkSync(join(dir, "latest.svg")), "graphs/cpu.svg");
  assert.match(readFileSync(join(dir, "graphs/cpu.svg"), "utf8"), /<\/svg>$/);
  assert.equal(statSync(join(dir, "graphs/cpu.svg")).mode & 0o777, 0o640, "the replaced file keeps its permissions");
  assert.deepEqual(readdirSync(join(dir, "graphs")), ["cpu.svg"], "no temporary file is left beside the target");
});

test("-o on a dangling link creates the file it points to, as a shell redirection does", () => {
  const dir = scratchDir("out");
  symlinkSync("made.svg", join(dir, "link.svg"));
  const run = runCli([cpuPprof, "-o", join(dir, "link.svg")]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(lstatSync(join(dir, "link.svg")).isSymbolicLink());
  assert.match(readFileSync(join(dir, "made.svg"), "utf8"), /<\/svg>$/);
});

test("-o on a link loop is a one-line usage error", () => {
  const dir = scratchDir("out");
  symlinkSync("b.svg", join(dir, "a.svg"));
  symlinkSync("a.svg", join(dir, "b.svg"));
  const run = runCli([cpuPprof, "-o", join(dir, "a.svg")]);
  assert.equal(run.status, 2);
  assert.equal(run.stderr, `torch: cannot write ${join(dir, "a.svg")}: too many levels of symbolic links\n`);
});

/**
 * A copy of a memory device (1,3 null; 1,7 full) in a scratch directory: a
 * regression must never replace the machine's own /dev/null. Needs root, as
 * CI has; elsewhere the test is skipped.
 */
function deviceCopy(t: TestContext, name: "null" | "full"): string | undefined {
  const path = join(scratchDir("dev"), name);
  if (spawnSync("mknod", [path, "c", "1", name === "null" ? "3" : "7"]).status !== 0) {
    t.skip("mknod needs root");
    return undefined;
  }
  return path;
}

test("-o on a character device (null) writes into the device and leaves it a device", (t) => {
  const device = deviceCopy(t, "null");
  if (device === undefined) return;
  const run = runCli([cpuPprof, "-o", device]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(statSync(device).isCharacterDevice());
  assert.deepEqual(readdirSync(dirname(device)), ["null"]);
});

test("-o on a full device is a one-line error, and the device stays a device", (t) => {
  const device = deviceCopy(t, "full");
  if (device === undefined) return;
  const run = runCli([cpuPprof, "-o", device]);
  assert.equal(run.status, 2);
  assert.equal(run.stderr, `torch: cannot write ${device}: no space left on device\n`);
  assert.ok(statSync(device).isCharacterDevice());
  assert.deepEqual(readdirSync(dirname(device)), ["full"]);
});

test("-o on a FIFO writes the graph into the pipe", async () => {
  const dir = scratchDir("out");
  const fifo = join(dir, "pipe");
  assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
  const torch = spawn(process.execPath, [cli, cpuPprof, "-o", fifo], { stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => torch.on("close", resolve));
  // The reader opens the pipe after torch has blocked on opening it for writing.
  const svg = readFileSync(fifo, "utf8");
  assert.equal(await exited, 0);
  assertWellFormedXml(svg);
  assert.ok(statSync(fifo).isFIFO());
  assert.deepEqual(readdirSync(dir), ["pipe"]);
});

/** A folded profile whose SVG takes a while to write: every stack distinct, every frame drawn. */
function largeProfile(dir: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 150_000; i++) lines.push(`main;module${i % 97};function${i};leaf${i % 13} ${(i % 5) + 1}`);
  const path = join(dir, "large.folded");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

for (const [signal, status] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`${signal} while -o is being written removes the temporary file and ends by the signal (shell status ${status})`, async () => {
    const dir = scratchDir("signal");
    const input = largeProfile(dir);
    const outDir = join(dir, "out");
    mkdirSync(outDir);
    const torch = spawn(process.execPath, [cli, input, "--minwidth", "0", "-o", join(outDir, "graph.svg")], { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => torch.on("close", (_code, by) => resolve(by)));
    let seen = false;
    for (let i = 0; i < 3000 && !seen; i++) {
      seen = readdirSync(outDir).some((name) => name.endsWith(".tmp"));
      if (!seen) await delay(5);
    }
    assert.ok(seen, "the temporary file appeared");
    torch.kill(signal);
    assert.equal(await exited, signal, "killed by the same signal, which the shell reports as 128 + its number");
    assert.deepEqual(readdirSync(outDir), [], "neither a temporary file nor a partial graph is left");
  });
}

test("a full disk on standard output is one line and exit 1, for the SVG and for --folded", (t) => {
  const device = deviceCopy(t, "full");
  if (device === undefined) return;
  const full = openSync(device, "w");
  try {
    for (const args of [[cpuPprof], ["--folded", cpuPprof]]) {
      const run = spawnSync(process.execPath, [cli, ...args], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stderr, "torch: cannot write standard output: no space left on device\n");
    }
  } finally {
    closeSync(full);
  }
});

test("control characters in every string option reach the SVG escaped as --title escapes them", () => {
  const hostile = "a\u0001b\u001bc\u007fd\u202ee";
  for (const option of ["title", "subtitle", "fonttype", "nametype", "countname", "notes"]) {
    const run = runCli([`--${option}`, hostile, cpuPprof]);
    assert.equal(run.status, 0, `--${option}: ${run.stderr}`);
    assertWellFormedXml(run.stdout);
    assert.ok(run.stdout.includes("a\\x01b\\x1bc\\x7fd\\u202ee"), `--${option} shows the characters as visible escapes`);
  }
});
