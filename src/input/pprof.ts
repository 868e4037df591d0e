import { InputError, type ProfileMeta, type SampleLabels } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { gunzipChunks } from "./gzip.js";
import { isGzip } from "./gzip-magic.js";
import { perftools } from "./generated/profile.js";
import { ByteMap } from "./byte-map.js";
import { SampleReader } from "./pprof-samples.js";
import { ProfileSplitter, type SplitProfile } from "./pprof-split.js";
import { chooseSampleType } from "./sample-type.js";

type Int64 = number | { toNumber(): number; toString(radix?: number): string };

interface ValueType {
  type: Int64;
  unit: Int64;
}
interface Label {
  key: Int64;
  str: Int64;
  num: Int64;
}
interface Line {
  functionId: Int64;
}
interface Location {
  id: Int64;
  address: Int64;
  line: Line[];
}
interface PprofFunction {
  id: Int64;
  name: Int64;
}
interface DecodedProfile {
  sampleType: ValueType[];
  /** The samples, left undecoded for SampleReader to read one at a time. */
  sampleSegments: Uint8Array[];
  location: Location[];
  function: PprofFunction[];
  stringTable: string[];
  defaultSampleType: Int64;
}


export interface PprofOptions {
  /** Sample type name (`alloc_space`) or index; default: the profile's own default. */
  sampleIndex?: string | number;
  /** Keeps only samples whose labels pass (pprof's --tagfocus/--tagignore). */
  keepLabels?: (labels: SampleLabels) => boolean;
  /** The limit on a gzipped profile's unzipped size (--max-input-size). */
  maxInputBytes?: number;
  /** Throws when the time for reading is up (--timeout). */
  checkDeadline?: () => void;
}

/**
 * The messages decoded with protobufjs code that `npm run build` generates
 * from proto/profile.proto (samples are read off the wire in pprof-samples.ts).
 */
const { Profile, Label } = perftools.profiles;

function toNumber(value: Int64): number {
  return typeof value === "number" ? value : value.toNumber();
}

/** Decodes the fields besides the samples; bad bytes become one-line InputErrors. */
function decodeProfile({ rest, sampleSegments }: SplitProfile, source: string): DecodedProfile {
  let profile: DecodedProfile;
  try {
    profile = Profile.decode(rest) as unknown as DecodedProfile;
  } catch (error) {
    throw corrupt(source, error);
  }
  if (profile.sampleType.length === 0) throw new InputError(source, "not a pprof profile: it declares no sample types");
  profile.sampleSegments = sampleSegments;
  return profile;
}

function corrupt(source: string, error: unknown, where = ""): InputError {
  return new InputError(source, `corrupt pprof protobuf (${where}${(error as Error).message})`);
}

/** How often the sample loop looks at the clock (counted in samples): about every 10 ms. */
const SAMPLES_BETWEEN_CLOCK_CHECKS = 8192;

/**
 * Reads a Go pprof profile (gzipped or raw protobuf, whole in `bytes`) into
 * `tree`, one stack per sample weighted by the chosen sample value, inlined
 * frames expanded.
 */
export function readPprof(bytes: Uint8Array, source: string, options: PprofOptions, tree: StackTree): ProfileMeta {
  const splitter = new ProfileSplitter(source);
  for (const chunk of isGzip(bytes) ? gunzipChunks(bytes, source, options.maxInputBytes) : [bytes]) splitter.push(chunk);
  return readSplitProfile(splitter.finish(), source, options, tree);
}

/** `readPprof` for a profile that streams in, already decompressed. */
export async function readPprofStream(input: AsyncIterable<Uint8Array>, source: string, options: PprofOptions, tree: StackTree): Promise<ProfileMeta> {
  const splitter = new ProfileSplitter(source);
  for await (const chunk of input) splitter.push(chunk);
  return readSplitProfile(splitter.finish(), source, options, tree);
}

function readSplitProfile(split: SplitProfile, source: string, options: PprofOptions, tree: StackTree): ProfileMeta {
  const profile = decodeProfile(split, source);
  const strings = profile.stringTable;
  const stringAt = (index: Int64) => strings[toNumber(index)] ?? "";
  const valueIndex = chooseSampleIndex(profile, options.sampleIndex, stringAt, source);
  if (profile.sampleSegments.length === 0) throw new InputError(source, "profile has no samples");

  const framesOf = locationFrames(profile, stringAt, tree);
  const sample = new SampleReader(profile.sampleSegments);
  const stack: number[] = [];
  // Samples of one stack (differing in labels, or left unmerged by the
  // writer) carry the same location id bytes: each distinct stack is walked
  // into the tree once. A flame chart keeps every sample in its place.
  const leafOfStack = tree.mergeMode === "merge" ? new ByteMap<number>() : undefined;
  let negative = 0;
  let total = 0;
  for (let number = 1; ; number++) {
    if (number % SAMPLES_BETWEEN_CLOCK_CHECKS === 0) options.checkDeadline?.();
    try {
      if (!sample.next()) break;
    } catch (error) {
      throw corrupt(source, error, `sample ${number}: `);
    }
    // go tool pprof refuses such a profile as malformed, rather than reading missing values as 0.
    if (sample.values.length !== profile.sampleType.length) {
      const count = sample.values.length;
      throw new InputError(source, `malformed profile: sample ${number} has ${count} value${count === 1 ? "" : "s"} for ${profile.sampleType.length} sample types`);
    }
    const { bytes, words, packedStart, packedEnd } = sample;
    const knownLeaf = packedStart === -1 ? undefined : leafOfStack?.get(bytes, words, packedStart, packedEnd);
    // Ids of a stack not seen before are decoded even when the sample is skipped, so that corrupt ids are always reported.
    let ids: readonly number[] = [];
    try {
      if (knownLeaf === undefined) ids = sample.locationIds();
    } catch (error) {
      throw corrupt(source, error, `sample ${number}: `);
    }
    const value = sample.values[valueIndex];
    if (value === 0) continue;
    if (options.keepLabels && !options.keepLabels(labelsOf(bytes, sample.labelBounds, stringAt, source))) continue;
    if (value < 0) negative++;
    total += Number(value);
    if (knownLeaf !== undefined) {
      tree.addSelf(knownLeaf, value);
      continue;
    }
    stack.length = 0;
    for (const id of ids) {
      const frames = framesOf.get(id);
      if (frames === undefined) throw new InputError(source, `corrupt pprof profile: sample refers to missing location ${id}`);
      for (const frame of frames) stack.push(frame);
    }
    const leaf = tree.addIdsLeafFirst(stack, value);
    if (packedStart !== -1) leafOfStack?.add(bytes, words, packedStart, packedEnd, leaf);
  }
  const chosen = profile.sampleType[valueIndex];
  return { sampleType: stringAt(chosen.type), unit: stringAt(chosen.unit), warnings: negativeValueWarnings(negative, total) };
}

/**
 * Negative values are valid pprof (pprof -diff_base writes them, and go
 * tool pprof reads them without a word), but a flame graph draws only
 * positive totals: say so, rather than draw a graph missing them, or empty.
 */
function negativeValueWarnings(negative: number, total: number): string[] {
  if (negative === 0) return [];
  const samples = negative === 1 ? "1 sample has a negative value" : `${negative} samples have negative values`;
  const outcome = total <= 0 ? `they add up to ${total}, so the graph is empty` : "frames are drawn from the positive values only";
  return [`${samples}, as pprof -diff_base writes them: ${outcome} (torch diff draws comparisons)`];
}

/** pprof's rule: an explicit index or name, else default_sample_type, else the last type. */
function chooseSampleIndex(
  profile: DecodedProfile,
  wanted: string | number | undefined,
  stringAt: (index: Int64) => string,
  source: string,
): number {
  const names = profile.sampleType.map((t) => stringAt(t.type));
  const preferred = stringAt(profile.defaultSampleType);
  const byDefault = wanted === undefined && preferred !== "" ? names.indexOf(preferred) : -1;
  return byDefault >= 0 ? byDefault : chooseSampleType(names, wanted, source);
}

/**
 * Interned frame ids per location id, leaf first. A location with several
 * lines is an inlined call chain: line[0] is the innermost function, so the
 * lines are already in leaf-first order. Frames without a function name show
 * the location's address, as pprof does.
 */
function locationFrames(profile: DecodedProfile, stringAt: (index: Int64) => string, tree: StackTree): Map<number, number[]> {
  const functionNames = new Map<number, string>();
  for (const fn of profile.function) functionNames.set(toNumber(fn.id), stringAt(fn.name));
  const frames = new Map<number, number[]>();
  for (const location of profile.location) {
    const names = location.line
      .map((line) => functionNames.get(toNumber(line.functionId)) ?? "")
      .filter((name) => name !== "");
    if (names.length === 0) names.push(formatAddress(location.address));
    frames.set(
      toNumber(location.id),
      names.map((name) => tree.intern(name)),
    );
  }
  return frames;
}

function formatAddress(address: Int64): string {
  return "0x" + address.toString(16);
}

function labelsOf(raw: Uint8Array, bounds: readonly number[], stringAt: (index: Int64) => string, source: string): string[] {
  const labels: string[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    let label: Label;
    try {
      label = Label.decode(raw.subarray(bounds[i], bounds[i + 1])) as unknown as Label;
    } catch (error) {
      throw corrupt(source, error);
    }
    const key = stringAt(label.key);
    const str = stringAt(label.str);
    labels.push(`${key}=${str !== "" ? str : toNumber(label.num)}`);
  }
  return labels;
}
