/**
 * `--speedscope FILE`: the file must conform to speedscope's published schema
 * (https://www.speedscope.app/file-format-schema.json; its rules are checked
 * one by one below) and hold the same stacks and values as `torch --folded`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseFolded } from "./support/folded.js";
import { corpusDir, repoRoot, runCli } from "./support/cli.js";
import { shownFrameName, stackTotal } from "./support/function-truth.js";
import { scratchDir } from "./support/scratch.js";

const scratch = scratchDir("speedscope");
const VALUE_UNITS = ["bytes", "microseconds", "milliseconds", "nanoseconds", "none", "seconds"];

function torch(args: string[]): string {
  const result = runCli(args);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The schema's FileFormat.File, with a sampled profile (the only kind torch writes). */
function assertConforms(file: Json): void {
  assert.ok(isObject(file), "the file is an object");
  for (const key of ["$schema", "profiles", "shared"]) assert.ok(key in file, `required ${key}`);
  assert.equal(file.$schema, "https://www.speedscope.app/file-format-schema.json");
  if ("name" in file) assert.equal(typeof file.name, "string");
  if ("exporter" in file) assert.equal(typeof file.exporter, "string");
  if ("activeProfileIndex" in file) assert.equal(typeof file.activeProfileIndex, "number");
  assert.ok(isObject(file.shared) && Array.isArray(file.shared.frames), "shared.frames is an array");
  const frames = file.shared.frames as Json[];
  for (const frame of frames) {
    assert.ok(isObject(frame) && typeof frame.name === "string", `frame ${JSON.stringify(frame)} has a name`);
    for (const key of ["line", "col"]) if (key in frame) assert.equal(typeof frame[key], "number");
    if ("file" in frame) assert.equal(typeof frame.file, "string");
  }
  assert.ok(Array.isArray(file.profiles) && file.profiles.length > 0);
  for (const profile of file.profiles as Json[]) {
    assert.ok(isObject(profile));
    for (const key of ["endValue", "name", "samples", "startValue", "type", "unit", "weights"]) assert.ok(key in profile, `profile has ${key}`);
    assert.equal(profile.type, "sampled");
    assert.equal(typeof profile.name, "string");
    assert.ok(VALUE_UNITS.includes(profile.unit as string), `unit ${String(profile.unit)}`);
    assert.equal(typeof profile.startValue, "number");
    assert.equal(typeof profile.endValue, "number");
    assert.ok((profile.endValue as number) >= (profile.startValue as number), "endValue >= startValue");
    const { samples, weights } = profile;
    assert.ok(Array.isArray(samples) && Array.isArray(weights));
    assert.equal(samples.length, weights.length, "one weight per sample");
    for (const stack of samples) {
      assert.ok(Array.isArray(stack), "a sample is an array of frame indexes");
      for (const index of stack) assert.ok(Number.isInteger(index) && index >= 0 && index < frames.length, `frame index ${index}`);
    }
    for (const weight of weights) assert.equal(typeof weight, "number");
  }
}

const inputs: Array<{ name: string; args: string[]; unit: string }> = [
  { name: "Go CPU pprof", args: [join(repoRoot, "samples/goprog/cpu.pprof")], unit: "nanoseconds" },
  { name: "Go heap pprof", args: [join(repoRoot, "samples/goprog/heap.pprof")], unit: "bytes" },
  { name: "folded stacks", args: [join(corpusDir, "flamegraph-folded/folded/example-dtrace.folded")], unit: "none" },
  { name: "perf script with --kernel", args: [join(corpusDir, "flamegraph-folded/raw/example-perf-stacks.txt.gz"), "--kernel"], unit: "none" },
  { name: "V8 .cpuprofile by time", args: [join(repoRoot, "samples/node/workload.cpuprofile"), "--sample-index", "time"], unit: "microseconds" },
];

describe("--speedscope", () => {
  for (const input of inputs) {
    test(`${input.name}: conforms to the schema and holds the folded stacks`, () => {
      const path = join(scratch, `${input.name.replace(/\W+/g, "-")}.json`);
      assert.equal(torch([...input.args, "--speedscope", path]), "", "nothing on stdout");
      const file = JSON.parse(readFileSync(path, "utf8"));
      assertConforms(file);
      const [profile] = file.profiles;
      assert.equal(profile.unit, input.unit);
      const folded = parseFolded(torch([...input.args, "--folded"]));
      assert.equal(profile.endValue - profile.startValue, stackTotal(folded));
      const names: string[] = file.shared.frames.map((frame: { name: string }) => frame.name);
      const written = new Map<string, number>();
      profile.samples.forEach((stack: number[], i: number) => {
        const key = stack.map((index) => names[index]).join(";");
        written.set(key, (written.get(key) ?? 0) + profile.weights[i]);
      });
      const expected = new Map<string, number>();
      for (const { frames, count } of folded) {
        const key = frames.map(shownFrameName).join(";");
        expected.set(key, (expected.get(key) ?? 0) + count);
      }
      assert.deepEqual(written, expected);
      assert.equal(new Set(names).size, names.length, "one shared frame per function");
    });
  }

  test("- writes to stdout; other outputs alongside are usage errors", () => {
    const input = inputs[2].args[0];
    assertConforms(JSON.parse(torch([input, "--speedscope=-"])));
    for (const args of [["--folded"], ["--top", "3"], ["-o", join(scratch, "x.svg")]]) {
      const result = runCli([input, "--speedscope", join(scratch, "y.json"), ...args]);
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.stderr, /^torch: --speedscope is its own output; drop /);
    }
  });
});
