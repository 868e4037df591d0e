import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzip } from "pako";
import protobuf from "protobufjs";
import { Random } from "./prng.js";
import { distinctStacks, frameNames } from "./stacks.js";
import { TextFile } from "./text-file.js";

/** As the brief asks: 5k distinct names, stacks 10 to 60 frames deep. */
const NAME_COUNT = 5000;
const MIN_DEPTH = 10;
const MAX_DEPTH = 60;

const names = frameNames(new Random(1), NAME_COUNT);

/**
 * Folded text with `stackCount` distinct stacks, one line each, sorted as
 * stackcollapse-*.pl and `torch --folded` write them. Returns the file size.
 */
export function writeFolded(path: string, stackCount: number): number {
  const random = new Random(2);
  const lines = [...distinctStacks(random, stackCount, NAME_COUNT, MIN_DEPTH, MAX_DEPTH)].map(
    (stack) => `${stack.map((id) => names[id]).join(";")} ${random.int(1, 1000)}\n`,
  );
  const file = new TextFile(path);
  for (const line of lines.sort()) file.write(line);
  return file.close();
}

const MODULES = ["/usr/lib/libc.so.6", "/usr/bin/server", "/usr/lib/libssl.so.3", "[kernel.kallsyms]", "/tmp/perf-4242.map"];

/**
 * `perf script` text as Linux perf prints it (header, one indented
 * `address symbol (module)` line per frame, leaf first, blank line), about
 * `targetBytes` long: samples drawn from a pool of distinct stacks.
 */
export function writePerf(path: string, targetBytes: number): number {
  const random = new Random(3);
  const frameLines = names.map((name, id) => {
    const address = (0x7f0000000000 + id * 0x1a3).toString(16);
    return `\t    ${address} ${name}+0x${(id % 200).toString(16)} (${MODULES[id % MODULES.length]})\n`;
  });
  const pool = [...distinctStacks(random, 5000, NAME_COUNT, MIN_DEPTH, MAX_DEPTH)];
  const file = new TextFile(path);
  let size = 0;
  for (let time = 1000; size < targetBytes; time += 0.001) {
    const tid = random.int(4242, 4250);
    let sample = `server 4242/${tid} [00${random.int(0, 7)}] ${time.toFixed(6)}:   ${random.int(100000, 999999)} cpu-clock: \n`;
    const stack = random.pick(pool);
    for (let i = stack.length - 1; i >= 0; i--) sample += frameLines[stack[i]];
    sample += "\n";
    file.write(sample);
    size += sample.length;
  }
  return file.close();
}

const schema = protobuf.loadSync(fileURLToPath(new URL("../../proto/profile.proto", import.meta.url)));
const Profile = schema.lookupType("perftools.profiles.Profile");

/** Samples encoded per piece; concatenated Profile messages merge, so pieces simply follow each other. */
const SAMPLES_PER_PIECE = 10000;

/**
 * A gzipped Go-style CPU pprof profile with `sampleCount` samples (values
 * samples/count and cpu/nanoseconds), drawn from a pool of distinct stacks.
 * One location per function, one in ten with an inlined caller. Returns the
 * file size and the size of the protobuf inside.
 */
export function writePprof(path: string, sampleCount: number): { bytes: number; rawBytes: number } {
  const random = new Random(4);
  const strings = ["", "samples", "count", "cpu", "nanoseconds", ...names];
  const functions = names.map((_, id) => ({ id: id + 1, name: id + 5 }));
  const locations = names.map((_, id) => ({
    id: id + 1,
    address: 0x400000 + id * 0x40,
    line: id % 10 === 0 ? [{ functionId: id + 1 }, { functionId: ((id + 1) % NAME_COUNT) + 1 }] : [{ functionId: id + 1 }],
  }));
  const pieces: Uint8Array[] = [
    Profile.encode({
      sampleType: [{ type: 1, unit: 2 }, { type: 3, unit: 4 }],
      periodType: { type: 3, unit: 4 },
      period: 10000000,
      function: functions,
      location: locations,
      stringTable: strings,
    }).finish(),
  ];
  const pool = [...distinctStacks(random, 50000, NAME_COUNT, MIN_DEPTH, MAX_DEPTH)].map((stack) => stack.map((id) => id + 1).reverse());
  for (let done = 0; done < sampleCount; done += SAMPLES_PER_PIECE) {
    const sample = [];
    for (let i = done; i < Math.min(done + SAMPLES_PER_PIECE, sampleCount); i++) {
      const count = random.int(1, 5);
      sample.push({ locationId: random.pick(pool), value: [count, count * 10000000] });
    }
    pieces.push(Profile.encode({ sample }).finish());
  }
  const raw = Buffer.concat(pieces);
  const bytes = gzip(raw);
  writeFileSync(path, bytes);
  return { bytes: bytes.length, rawBytes: raw.length };
}
