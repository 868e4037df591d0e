/**
 * Go's full goroutine dump (debug=2, and a panic's traceback), written by the
 * program in test/fixtures/go-goroutines/src, checked against the debug=0
 * goroutine profile of the same moment as `go tool pprof -raw` reads it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { foldedMap } from "./support/folded.js";
import { repoRoot, runCli } from "./support/cli.js";
import { go } from "./support/go-pprof.js";
import { parsePprofRaw } from "./support/pprof-raw.js";

const dir = join(repoRoot, "test/fixtures/go-goroutines");

function folded(args: string[], input?: string): Map<string, number> {
  const run = runCli(["--folded", ...args], input);
  assert.equal(run.status, 0, run.stderr);
  return foldedMap(run.stdout);
}

/** The goroutine that wrote the profile: its own stack differs between the two writes. */
const isWriter = (stack: string) => stack.includes("runtime/pprof.");

function withoutWriter(stacks: Map<string, number>): Map<string, number> {
  return new Map([...stacks].filter(([stack]) => !isWriter(stack)));
}

/**
 * The debug=0 profile's stacks as a traceback shows them: Go's traceback
 * hides the runtime's unexported functions (runtime.gopark, chanrecv,
 * selectgo...; `showfuncinfo` in runtime/traceback.go), which the profile keeps.
 */
function profileStacks(): Map<string, number> {
  const raw = parsePprofRaw(go(["tool", "pprof", "-raw", join(dir, "goroutine.pb.gz")]));
  const stacks = new Map<string, number>();
  for (const [stack, count] of raw.stacks.get("goroutine")!) {
    const shown = stack
      .split(";")
      .filter((frame) => !/^runtime\.[a-z_]/.test(frame))
      .join(";");
    stacks.set(shown, (stacks.get(shown) ?? 0) + count);
  }
  return withoutWriter(stacks);
}

test("debug=2: one count per goroutine, the stacks of the debug=0 profile of the same moment", () => {
  const file = join(dir, "goroutine-debug2.txt");
  const ours = folded([file]);
  assert.deepEqual(withoutWriter(ours), profileStacks());
  // Every goroutine counts, the writer too: as many as the debug=1 header's total.
  const total = Number(/^goroutine profile: total (\d+)/.exec(readFileSync(join(dir, "goroutine-debug1.txt"), "utf8"))![1]);
  assert.equal([...ours.values()].reduce((a, b) => a + b, 0), total);
  assert.ok(ours.has("main.main.func4" + ";main.descend".repeat(21)), "deep recursion kept frame by frame");
});

test("a panic's traceback (GOTRACEBACK=all): the parked goroutines, and main where it panicked", () => {
  const ours = folded([join(dir, "panic.txt")]);
  // goroutine 1 is `main.main()` alone (see the file); the rest are parked as in the profile.
  assert.equal(ours.get("main.main"), 1);
  ours.delete("main.main");
  assert.deepEqual(ours, profileStacks());
});

test("argument lists, created-by lines, elided frames and the text around goroutines", () => {
  const dump = [
    "SIGQUIT: quit",
    "PC=0x46d1a1 m=0 sigcode=0",
    "",
    "goroutine 7 gp=0xc000007a40 m=nil [select, 3 minutes]:",
    "main.(*Pool[...]).get(0xc0000a0000, {0x4d2f60?, 0xc0000b2000?}, 0x1)",
    "\t/src/pool.go:40 +0x1c5",
    "...additional frames elided...",
    "main.run.func1(...)",
    "\t/src/main.go:12",
    "created by main.run in goroutine 1",
    "\t/src/main.go:11 +0x3e",
    "",
    "goroutine 8 [chan send]:",
    "main.run.func1(...)",
    "\t/src/main.go:12",
    "",
    "rax    0x0",
    "rip    0x46d1a1",
    "",
  ].join("\n");
  assert.deepEqual(
    folded(["-"], dump),
    new Map([
      ["main.run.func1", 1],
      ["main.run.func1;main.(*Pool[...]).get", 1],
    ]),
  );
});

test("a dump without goroutine stacks is refused in one line", () => {
  const run = runCli(["--folded", "--format", "goroutine-dump", "-"], "goroutine 1 [running]:\n\n");
  assert.equal(run.status, 1);
  assert.match(run.stderr, /goroutine dump holds no goroutine stacks\n$/);
});
