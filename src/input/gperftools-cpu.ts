import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { readAllBytes, type ProfileReader } from "./reader.js";
import { chooseSampleType } from "./sample-type.js";

/**
 * gperftools' binary CPU profile (libprofiler's ProfilerStart / CPUPROFILE=),
 * as its documentation (docs/cpuprofile-fileformat.html) lays it out, in
 * native 64-bit little-endian words:
 *
 *     header   0, 3, 0, sampling period in microseconds, 0
 *     records  sample count, n, pc[0] ... pc[n-1]      (pc[0] is the leaf)
 *     trailer  0, 1, 0
 *
 * then the process's /proc/self/maps as text. Frames are addresses (no symbols
 * are stored): the leaf as sampled, callers' return addresses one byte back
 * at the call, as pprof shows them without the binary.
 */

const WORD = 8;

export const gperftoolsCpuReader: ProfileReader = {
  name: "gperftools-cpu",
  uses: ["sampleIndex"],
  detect: (head) => head.binary && startsWithHeader(head.bytes),
  read: async (input, { source, tree, options }) => readGperftoolsCpu(await readAllBytes(input, source), source, options.sampleIndex, tree),
};

function startsWithHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 5 * WORD) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (i: number) => view.getBigUint64(i * WORD, true);
  return word(0) === 0n && word(1) === 3n && word(2) === 0n && word(3) > 0n;
}

const SAMPLE_TYPES = [
  { sampleType: "samples", unit: "count" },
  { sampleType: "cpu", unit: "nanoseconds" },
];

function readGperftoolsCpu(
  bytes: Uint8Array,
  source: string,
  sampleIndex: string | number | undefined,
  tree: StackTree,
): ProfileMeta {
  const chosen = chooseSampleType(SAMPLE_TYPES.map((t) => t.sampleType), sampleIndex, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = Math.floor(bytes.length / WORD);
  const word = (i: number) => {
    if (i >= words) throw new InputError(source, "truncated gperftools CPU profile");
    return view.getBigUint64(i * WORD, true);
  };
  const periodNanoseconds = Number(word(3)) * 1000;
  const ids: number[] = [];
  let samples = 0;
  for (let at = 5; ; ) {
    const count = Number(word(at));
    const depth = Number(word(at + 1));
    if (count === 0) {
      if (depth === 1 && word(at + 2) === 0n) break;
      throw new InputError(source, `corrupt gperftools CPU profile: record at byte ${at * WORD} has no samples`);
    }
    if (depth > words) throw new InputError(source, `corrupt gperftools CPU profile: record at byte ${at * WORD} has ${depth} frames`);
    ids.length = 0;
    for (let frame = 0; frame < depth; frame++) {
      const pc = word(at + 2 + frame);
      ids.push(tree.intern("0x" + (frame === 0 || pc === 0n ? pc : pc - 1n).toString(16)));
    }
    tree.addIdsLeafFirst(ids, chosen === 0 ? count : count * periodNanoseconds);
    samples++;
    at += 2 + depth;
  }
  if (samples === 0) throw new InputError(source, "profile has no samples");
  return SAMPLE_TYPES[chosen];
}
