/**
 * Checks torch's pprof reader against Go's own: every sample type of every
 * committed Go sample profile must fold to exactly the stacks and values that
 * `go tool pprof -raw` prints (read by an independent parser).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import protobuf from "protobufjs";
import { writePprof } from "../bench/generate.js";
import { StackTree } from "torch-flamegraph";
import { foldedLines, readPprof } from "#internals";
import { runCli } from "./support/cli.js";
import { foldedMap, stackDiff } from "./support/folded.js";
import { go, goPprofRaw, goSamplesDir } from "./support/go-pprof.js";
import { scratchDir } from "./support/scratch.js";
import { parsePprofRaw, type RawProfile, type RawSampleType } from "./support/pprof-raw.js";

const samplesDir = goSamplesDir;
const sampleFiles = readdirSync(samplesDir).filter((name) => name.endsWith(".pprof"));

function torchStacks(file: string, sampleIndex: string | number | undefined) {
  const tree = new StackTree();
  const bytes = new Uint8Array(readFileSync(samplesDir + file));
  const meta = readPprof(bytes, file, { sampleIndex }, tree);
  return { meta, stacks: foldedMap(foldedLines(tree).join("\n")) };
}

function assertTorchMatches(
  file: string,
  oracle: RawProfile,
  sampleIndex: string | number | undefined,
  expected: RawSampleType,
) {
  const { meta, stacks } = torchStacks(file, sampleIndex);
  assert.equal(meta.sampleType, expected.name);
  assert.equal(meta.unit, expected.unit);
  assert.deepEqual(stackDiff(oracle.stacks.get(expected.name)!, stacks), []);
}

for (const file of sampleFiles) {
  test(`${file}: every sample type folds as go tool pprof -raw shows it`, async (t) => {
    const oracle = parsePprofRaw(goPprofRaw(file));
    const defaultType = oracle.sampleTypes.find((type) => type.name === oracle.defaultSampleType);
    assert.ok(defaultType, "go tool pprof shows no sample types");

    await t.test(`default sample type (${defaultType.name})`, () => {
      assertTorchMatches(file, oracle, undefined, defaultType);
    });
    for (const [index, type] of oracle.sampleTypes.entries()) {
      await t.test(`sample type ${type.name} by name`, () => assertTorchMatches(file, oracle, type.name, type));
      await t.test(`sample type ${type.name} by index ${index}`, () => assertTorchMatches(file, oracle, index, type));
    }
  });
}

/**
 * torch copies samples into buffers of 4 MiB as they stream in: a profile
 * of several such buffers, with one sample larger than a buffer (5 MiB of a
 * field that neither reader knows, and both skip), must read as Go reads it.
 */
test("a profile of many megabytes, one sample larger than torch's sample buffers, folds as go tool pprof -raw shows it", () => {
  const dir = scratchDir("pprof-oracle");
  const generated = join(dir, "generated.pb.gz");
  writePprof(generated, 60000);
  const bigSample = protobuf.Writer.create();
  bigSample.uint32((2 << 3) | 2).fork(); // Profile.sample
  bigSample.uint32((1 << 3) | 2).fork().uint64(1).uint64(2).ldelim(); // location ids, packed
  bigSample.uint32((2 << 3) | 2).fork().int64(3).int64(30000000).ldelim(); // values, packed
  bigSample.uint32((100 << 3) | 2).bytes(new Uint8Array(5 * 2 ** 20)).ldelim();
  // Concatenated Profile messages merge, so the sample is simply appended.
  const path = join(dir, "big-sample.pb.gz");
  writeFileSync(path, gzipSync(Buffer.concat([gunzipSync(readFileSync(generated)), bigSample.finish()])));
  const oracle = parsePprofRaw(go(["tool", "pprof", "-raw", path]));
  assert.equal(oracle.defaultSampleType, "cpu");
  const run = runCli(["--folded", path]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(stackDiff(oracle.stacks.get("cpu")!, foldedMap(run.stdout)), []);
});

/**
 * The sample data itself must exercise what the reader has to get right. The
 * expected names come from samples/goprog/main.go, not from either reader.
 */
test("the Go samples contain inlining, recursion, closures, methods and labels", () => {
  const cpuText = goPprofRaw("cpu.pprof");
  const cpu = [...parsePprofRaw(cpuText).stacks.get("cpu")!.keys()];
  const hasStack = (stacks: string[], part: string) =>
    assert.ok(stacks.some((stack) => `;${stack};`.includes(`;${part};`)), `no stack contains ${part}`);

  // rotl is inlined into mix, and mix into hashUntil: one location, three lines.
  hasStack(cpu, "main.hashUntil;main.mix;main.rotl");
  hasStack(cpu, "main.fib;main.fib;main.fib");
  hasStack(cpu, "main.(*node).sum;main.(*node).sum");
  hasStack(cpu, "main.work.func1;runtime/pprof.Do;main.work.func1.1;main.hashUntil");
  assert.match(cpuText, /^ {16}phase:\[hash\]$/m, "no CPU sample carries the phase=hash label");

  const mutex = [...parsePprofRaw(goPprofRaw("mutex.pprof")).stacks.get("delay")!.keys()];
  hasStack(mutex, "main.serveRequests.func1;main.(*Server).handle");
});

/** The oracle's own rules, on text shaped like pprof's but with the cases the Go samples lack. */
test("the -raw parser expands inlined lines and names unsymbolized frames by address", () => {
  const raw = [
    "PeriodType: cpu nanoseconds",
    "Samples:",
    "samples/count cpu/nanoseconds[dflt] other/count",
    "          2   20000000          0: 1 2 3 ",
    "                phase:[hash]",
    "          1   10000000          5: 1 2 3 ",
    "          1   10000000          0: 4 3 ",
    "Locations",
    "     1: 0x4c0180 M=1 main.rotl /src/main.go:133 s=0",
    "             main.mix /src/main.go:129 s=0",
    "     2: 0x4a1b2c M=1 ",
    "     3: 0x401000 M=1 [F] main.main /src/main.go:9 s=5(main.main.abi0)",
    "     4: 0x402000 M=1 ??",
    "Mappings",
    "1: 0x400000/0x4c1000/0x0 /tmp/prog  [FN]",
    "",
  ].join("\n");
  const parsed = parsePprofRaw(raw);
  assert.equal(parsed.defaultSampleType, "cpu");
  assert.deepEqual(
    parsed.stacks.get("cpu"),
    new Map([
      ["main.main;0x4a1b2c;main.mix;main.rotl", 30000000],
      ["main.main;0x402000", 10000000],
    ]),
  );
  assert.deepEqual(parsed.stacks.get("other"), new Map([["main.main;0x4a1b2c;main.mix;main.rotl", 5]]));
});
