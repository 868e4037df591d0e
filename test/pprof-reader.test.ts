/** pprof reader details the real samples cannot show on their own. */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { foldedLines, readPprof, readPprofStream } from "#internals";
import { StackTree } from "torch-flamegraph";
import { repoRoot, runCli } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";

const dir = scratchDir("pprof");
const cpuPath = join(repoRoot, "samples/goprog/cpu.pprof");

test("an un-gzipped profile reads the same as the gzipped one", () => {
  const raw = join(dir, "cpu.raw");
  writeFileSync(raw, gunzipSync(readFileSync(cpuPath)));
  const gzipped = runCli(["--folded", cpuPath]);
  assert.equal(gzipped.status, 0, gzipped.stderr);
  assert.equal(runCli(["--folded", raw]).stdout, gzipped.stdout);
});

test("an un-gzipped profile cut short is refused with the offset of the field it ends in", () => {
  const whole = gunzipSync(readFileSync(cpuPath));
  const cut = join(dir, "cut.raw");
  writeFileSync(cut, whole.subarray(0, whole.length - 3));
  const run = runCli(["--folded", cut]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, new RegExp(`^torch: ${cut}: corrupt pprof protobuf \\(truncated data in the top-level field at offset \\d+\\)\n$`));
});

test("every Go profile reads the same from its file, gzipped through a pipe and unzipped through a pipe", () => {
  // Three ways of reading: the file twice, the pipe's compressed bytes inflated twice, the raw pipe once (samples kept).
  for (const name of ["cpu", "heap", "allocs", "block", "mutex", "goroutine", "threadcreate"]) {
    const path = join(repoRoot, `samples/goprog/${name}.pprof`);
    for (const options of [["--folded"], ["--folded", "--flamechart"], ["--folded", "--sample-index", "0"]]) {
      const fromFile = runCli([...options, path]);
      assert.equal(fromFile.status, 0, fromFile.stderr);
      // threadcreate's one sample has no frames.
      if (name !== "threadcreate") assert.notEqual(fromFile.stdout, "");
      for (const [how, bytes] of [
        ["gzipped", readFileSync(path)],
        ["unzipped", gunzipSync(readFileSync(path))],
      ] as const) {
        const fromPipe = runCli([...options, "-"], bytes);
        assert.equal(fromPipe.stderr, "");
        assert.equal(fromPipe.stdout, fromFile.stdout, `${name} ${how} ${options.join(" ")}`);
      }
    }
  }
});

test("samples larger than the buffer the second pass hands them on in read whole, in order with the rest", () => {
  const Profile = protobuf.loadSync(join(repoRoot, "proto/profile.proto")).lookupType("perftools.profiles.Profile");
  const names = ["", "samples", "count", "a", "b"];
  // 400,000 one-byte ids: one sample of about 400 KB, between small ones.
  const long = Array.from({ length: 400_000 }, (_, i) => (i % 2) + 1);
  const bytes = gzipSync(
    Profile.encode({
      sampleType: [{ type: 1, unit: 2 }],
      stringTable: names,
      function: [
        { id: 1, name: 3 },
        { id: 2, name: 4 },
      ],
      location: [
        { id: 1, line: [{ functionId: 1 }] },
        { id: 2, line: [{ functionId: 2 }] },
      ],
      sample: [
        { locationId: [1], value: [1] },
        { locationId: long, value: [2] },
        { locationId: [2, 1], value: [4] },
      ],
    }).finish(),
  );
  const tree = new StackTree();
  readPprof(bytes, "long.pprof", {}, tree);
  const longStack = long.map((id) => names[id + 2]).reverse().join(";");
  assert.deepEqual(foldedLines(tree), ["a 1", "a;b 4", `${longStack} 2`].sort());
});

test("a profile file that changes between the two passes is refused, not half read", async () => {
  const chunks = (bytes: Uint8Array) => (async function* () {
    yield bytes;
  })();
  const read = (first: Uint8Array, second: Uint8Array) =>
    readPprofStream(chunks(first), "cpu.pprof", {}, new StackTree(), () => chunks(second));
  const whole = handMadeProfile();
  assert.deepEqual(await read(whole, whole), { sampleType: "cpu", unit: "nanoseconds", warnings: [] });
  await assert.rejects(read(whole, handMadeProfile(2)), {
    name: "InputError",
    message: "the profile changed while it was read (3 samples, then 2)",
  });
});

test("--format overrides detection", () => {
  const run = runCli(["--format", "folded", cpuPath]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /no 'stack count' lines/);
});

/** A profile written field by field with protobufjs from the published schema, as a Go program would. */
function handMadeProfile(sampleCount = 3): Uint8Array {
  const root = protobuf.loadSync(join(repoRoot, "proto/profile.proto"));
  const Profile = root.lookupType("perftools.profiles.Profile");
  const strings = ["", "samples", "count", "cpu", "nanoseconds", "main.main", "main.inlined", "phase", "a", "b"];
  const s = (text: string) => strings.indexOf(text);
  const message = Profile.create({
    sampleType: [
      { type: s("samples"), unit: s("count") },
      { type: s("cpu"), unit: s("nanoseconds") },
    ],
    function: [
      { id: 1, name: s("main.main") },
      { id: 2, name: s("main.inlined") },
    ],
    location: [
      { id: 10, address: 0x4a1b2c },
      // two lines: main.inlined was inlined into main.main (last line = outermost)
      { id: 11, address: 0x401000, line: [{ functionId: 2 }, { functionId: 1 }] },
    ],
    sample: [
      { locationId: [10, 11], value: [1, 10], label: [{ key: s("phase"), str: s("a") }] },
      { locationId: [10, 11], value: [2, 20], label: [{ key: s("phase"), str: s("b") }] },
      { locationId: [11], value: [4, 40] },
    ].slice(0, sampleCount),
    stringTable: strings,
  });
  return Profile.encode(message).finish();
}

test("addresses stand in for frames without a function, inlined lines expand outermost first, labels merge", () => {
  const path = join(dir, "hand.pprof");
  writeFileSync(path, handMadeProfile());
  // default sample type: the last one (cpu), as go tool pprof picks when none is set
  assert.equal(runCli(["--folded", path]).stdout, "main.main;main.inlined 40\nmain.main;main.inlined;0x4a1b2c 30\n");
  assert.equal(runCli(["--folded", "--sample-index", "0", path]).stdout, "main.main;main.inlined 4\nmain.main;main.inlined;0x4a1b2c 3\n");
  assert.equal(runCli(["--folded", "--sample-index", "samples", path]).stdout, "main.main;main.inlined 4\nmain.main;main.inlined;0x4a1b2c 3\n");
});

test("several profiles of one kind merge; different kinds are refused", () => {
  const one = runCli(["--folded", cpuPath]).stdout;
  const doubled = one.replace(/ (\d+)$/gm, (_, n: string) => ` ${Number(n) * 2}`);
  assert.equal(runCli(["--folded", cpuPath, cpuPath]).stdout, doubled);
  const mixed = runCli(["--folded", cpuPath, join(repoRoot, "samples/goprog/heap.pprof")]);
  assert.equal(mixed.status, 1);
  assert.match(mixed.stderr, /heap\.pprof: cannot merge inuse_space \(bytes\) with cpu \(nanoseconds\)/);
});

test("a directory argument means every profile in it", () => {
  const perHost = join(dir, "per-host");
  mkdirSync(perHost);
  copyFileSync(cpuPath, join(perHost, "host1.pprof"));
  copyFileSync(cpuPath, join(perHost, "host2.pprof"));
  assert.equal(runCli(["--folded", perHost]).stdout, runCli(["--folded", cpuPath, cpuPath]).stdout);
});

test("inputs of different formats are not merged", () => {
  const mixed = runCli(["--folded", cpuPath, join(repoRoot, "samples/goprog/cpu.folded")]);
  assert.equal(mixed.status, 1);
  assert.match(mixed.stderr, /^torch: \S*samples\/goprog\/cpu\.folded: cannot merge samples \(samples\) with cpu \(nanoseconds\)/);
});
