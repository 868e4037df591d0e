/** Bad input: one line naming the file and the problem, exit 1, and no output file. */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { repoRoot, runCli } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";

const dir = scratchDir("bad");
const cpu = readFileSync(join(repoRoot, "samples/goprog/cpu.pprof"));

function fixture(name: string, bytes: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const CASES: Array<{ what: string; path: string; args?: string[]; message: RegExp }> = [
  { what: "binary garbage", path: fixture("garbage.bin", Uint8Array.from({ length: 512 }, (_, i) => (i * 37 + 3) % 256)), message: /not a recognised profile: binary data/ },
  { what: "truncated gzip", path: fixture("truncated.pprof", cpu.subarray(0, cpu.length / 2)), message: /truncated gzip data/ },
  { what: "corrupt protobuf", path: fixture("corrupt.pprof", gzipSync(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))), message: /corrupt pprof protobuf/ },
  {
    what: "profile without samples",
    // sample_type {type: 1, unit: 2}; string_table ["", "samples", "count"]; no samples
    path: fixture("nosamples.pprof", gzipSync(Buffer.from("0a04080110023200320773616d706c65733205636f756e74", "hex"))),
    message: /profile has no samples/,
  },
  { what: "empty file", path: fixture("empty.txt", ""), message: /empty input/ },
  { what: "empty gzip", path: fixture("empty.gz", gzipSync(Buffer.alloc(0))), message: /empty input/ },
  { what: "text that is no profile", path: fixture("notes.txt", "hello\nworld\n"), message: /not a recognised profile: no 'stack count' lines \(line 1/ },
  { what: "missing file", path: join(dir, "nope.pprof"), message: /no such file/ },
  { what: "unknown sample type", path: join(repoRoot, "samples/goprog/heap.pprof"), args: ["--sample-index", "cpu"], message: /no sample type "cpu"; this profile has: alloc_objects, alloc_space, inuse_objects, inuse_space/ },
  { what: "truncated JSON", path: fixture("cut.cpuprofile", readFileSync(join(repoRoot, "samples/node/workload.cpuprofile"), "utf8").slice(0, 3000)), message: /truncated JSON/ },
];

for (const { what, path, args = [], message } of CASES) {
  test(`${what}: one clear line, exit 1, no output file`, () => {
    const output = join(dir, `${what.replace(/\W+/g, "-")}.svg`);
    const run = runCli([...args, "-o", output, path]);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, "");
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.ok(lines[0].startsWith(`torch: ${path}: `), lines[0]);
    assert.match(lines[0], message);
    assert.equal(existsSync(output), false);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
  });
}

test("malformed folded lines among good ones are reported on stderr with their line numbers", () => {
  const run = runCli(["--folded", "-"], "a;b 1\n\nno count here\na;c 2\n");
  assert.equal(run.status, 0);
  assert.equal(run.stdout, "a;b 1\na;c 2\n");
  assert.match(run.stderr, /<stdin>: warning: skipped 1 line\(s\) without a count \(line 3\)/);
  assert.match(run.stderr, /<stdin>: warning: skipped 1 blank line\(s\)/);
});

test("a warning names the first five lines without a count and counts them all", () => {
  const lines = ["a;b 1"];
  for (let i = 0; i < 200_000; i++) lines.push(`line ${i} has no count`);
  lines.push("a;c 2");
  const run = runCli(["--folded", "-"], lines.join("\n"));
  assert.equal(run.status, 0);
  assert.equal(run.stdout, "a;b 1\na;c 2\n");
  assert.match(run.stderr, /<stdin>: warning: skipped 200000 line\(s\) without a count \(line 2, 3, 4, 5, 6, \.\.\.\)\n/);
});

test("usage errors exit 2 with a hint", () => {
  const run = runCli(["--width", "-5", "x"]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^torch: --width must be a positive number\nTry 'torch --help'.\n$/);
  assert.equal(runCli(["--no-such-flag"]).status, 2);
});
