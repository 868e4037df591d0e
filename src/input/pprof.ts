import { InputError, type ProfileMeta, type SampleLabels } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { gunzipChunks } from "./gzip.js";
import { isGzip } from "./gzip-magic.js";
import { perftools } from "./generated/profile.js";
import { ByteMap } from "./byte-map.js";
import { type ReusedList, SampleReader } from "./pprof-samples.js";
import { handBack } from "./read-buffers.js";
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
function decodeProfile(rest: Uint8Array, source: string): DecodedProfile {
  let profile: DecodedProfile;
  try {
    profile = Profile.decode(rest) as unknown as DecodedProfile;
  } catch (error) {
    throw corrupt(source, error);
  }
  if (profile.sampleType.length === 0) throw new InputError(source, "not a pprof profile: it declares no sample types");
  return profile;
}

function corrupt(source: string, error: unknown, where = ""): InputError {
  return new InputError(source, `corrupt pprof protobuf (${where}${(error as Error).message})`);
}

/** How often the sample loop looks at the clock (counted in samples): about every 10 ms. */
const SAMPLES_BETWEEN_CLOCK_CHECKS = 8192;
/** Address space reserved for the distinct stacks' keys at most; a profile that needs more grows the room as it goes. */
const MAX_RESERVED_KEY_BYTES = 1 << 28;

/**
 * Reads a Go pprof profile (gzipped or raw protobuf, whole in `bytes`) into
 * `tree`, one stack per sample weighted by the chosen sample value, inlined
 * frames expanded. The bytes are held anyway, so they are gone through
 * twice (see SampleHandling) rather than copying all the samples out of them.
 */
export function readPprof(bytes: Uint8Array, source: string, options: PprofOptions, tree: StackTree): ProfileMeta {
  const chunks = () => (isGzip(bytes) ? gunzipChunks(bytes, source, options.maxInputBytes) : [bytes]);
  const tables = new ProfileSplitter(source, "skip");
  for (const chunk of chunks()) splitInto(tables, chunk);
  const loader = new SampleLoader(tables.finish(), source, options, tree);
  const samples = new ProfileSplitter(source, (segment) => loader.read([segment]));
  for (const chunk of chunks()) splitInto(samples, chunk);
  samples.finish();
  return loader.finish();
}

/**
 * `readPprof` for a profile that streams in, already decompressed. When the
 * input can be given again (`reread`: a file read again, or the kept
 * compressed bytes of a gzipped pipe inflated again), the first pass keeps
 * only the tables and the second streams the samples into the tree, so
 * that peak memory does not grow with the samples; otherwise they are kept
 * until the tables, written after them, have arrived.
 */
export async function readPprofStream(
  input: AsyncIterable<Uint8Array>,
  source: string,
  options: PprofOptions,
  tree: StackTree,
  reread?: () => AsyncIterable<Uint8Array>,
): Promise<ProfileMeta> {
  const first = new ProfileSplitter(source, reread === undefined ? "keep" : "skip");
  for await (const chunk of input) splitInto(first, chunk);
  const split = first.finish();
  const loader = new SampleLoader(split, source, options, tree);
  loader.read(split.sampleSegments);
  if (reread !== undefined) {
    const second = new ProfileSplitter(source, (segment) => loader.read([segment]));
    for await (const chunk of reread()) splitInto(second, chunk);
    second.finish();
  }
  return loader.finish();
}

/** The splitter copies what it keeps, so the chunk can be read (or inflated) into again. */
function splitInto(splitter: ProfileSplitter, chunk: Uint8Array): void {
  splitter.push(chunk);
  handBack(chunk);
}

/**
 * Adds samples to the tree as stacks of frame ids, given the profile's
 * other fields (its tables) first. Samples of one stack (differing in
 * labels, or left unmerged by the writer) carry the same location id
 * bytes: each distinct stack is walked into the tree once. A flame chart
 * keeps every sample in its place.
 */
class SampleLoader {
  private readonly profile: DecodedProfile;
  private readonly stringAt: (index: Int64) => string;
  private readonly valueIndex: number;
  private readonly framesOf: Map<number, number[]>;
  private readonly leafOfStack: ByteMap<number> | undefined;
  private readonly expectedSamples: number;
  private samplesRead = 0;
  private negative = 0;
  private total = 0;

  constructor(
    tables: SplitProfile,
    private readonly source: string,
    private readonly options: PprofOptions,
    private readonly tree: StackTree,
  ) {
    this.profile = decodeProfile(tables.rest, source);
    const strings = this.profile.stringTable;
    this.stringAt = (index: Int64) => strings[toNumber(index)] ?? "";
    this.valueIndex = chooseSampleIndex(this.profile, options.sampleIndex, this.stringAt, source);
    this.expectedSamples = tables.sampleCount;
    if (this.expectedSamples === 0) throw new InputError(source, "profile has no samples");
    this.framesOf = locationFrames(this.profile, this.stringAt, tree);
    // A stack's key is part of its sample's bytes, so all the samples' bytes are room enough for every key.
    this.leafOfStack = tree.mergeMode === "merge" ? new ByteMap<number>(Math.min(tables.sampleBytes, MAX_RESERVED_KEY_BYTES)) : undefined;
  }

  /** Reads samples as `ProfileSplitter` stores them (the segments are let go of as they are read). */
  read(segments: Uint8Array[]): void {
    const { source, options, tree, profile, framesOf, leafOfStack } = this;
    const sample = new SampleReader(segments);
    for (;;) {
      const number = this.samplesRead + 1;
      if (number % SAMPLES_BETWEEN_CLOCK_CHECKS === 0) options.checkDeadline?.();
      try {
        if (!sample.next()) return;
      } catch (error) {
        throw corrupt(source, error, `sample ${number}: `);
      }
      this.samplesRead = number;
      // go tool pprof refuses such a profile as malformed, rather than reading missing values as 0.
      if (sample.values.length !== profile.sampleType.length) {
        const count = sample.values.length;
        throw new InputError(source, `malformed profile: sample ${number} has ${count} value${count === 1 ? "" : "s"} for ${profile.sampleType.length} sample types`);
      }
      const { bytes, words, packedStart, packedEnd } = sample;
      const knownLeaf = packedStart === -1 ? undefined : leafOfStack?.get(bytes, words, packedStart, packedEnd);
      // Ids of a stack not seen before are decoded even when the sample is skipped, so that corrupt ids are always reported.
      let ids: ReusedList<number> | undefined;
      try {
        if (knownLeaf === undefined) ids = sample.locationIds();
      } catch (error) {
        throw corrupt(source, error, `sample ${number}: `);
      }
      const value = sample.values.items[this.valueIndex];
      if (value === 0) continue;
      if (options.keepLabels && !options.keepLabels(labelsOf(bytes, sample.labelBounds, this.stringAt, source))) continue;
      if (value < 0) this.negative++;
      this.total += Number(value);
      if (ids === undefined) {
        tree.addSelf(knownLeaf as number, value);
        continue;
      }
      // Locations are leaf first, and so are each one's inlined frames: walked from the end, root first.
      let leaf = tree.root;
      for (let i = ids.length - 1; i >= 0; i--) {
        const frames = framesOf.get(ids.items[i]);
        if (frames === undefined) throw new InputError(source, `corrupt pprof profile: sample refers to missing location ${ids.items[i]}`);
        for (let frame = frames.length - 1; frame >= 0; frame--) leaf = tree.child(leaf, frames[frame]);
      }
      tree.addSelf(leaf, value);
      if (packedStart !== -1) leafOfStack?.add(bytes, words, packedStart, packedEnd, leaf);
    }
  }

  /** The profile's sample type and warnings, once every sample is read. */
  finish(): ProfileMeta {
    // Only a file rewritten between the two passes can disagree with itself.
    if (this.samplesRead !== this.expectedSamples) {
      throw new InputError(this.source, `the profile changed while it was read (${this.expectedSamples} samples, then ${this.samplesRead})`);
    }
    const chosen = this.profile.sampleType[this.valueIndex];
    return { sampleType: this.stringAt(chosen.type), unit: this.stringAt(chosen.unit), warnings: negativeValueWarnings(this.negative, this.total) };
  }
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

function labelsOf(raw: Uint8Array, bounds: ReusedList<number>, stringAt: (index: Int64) => string, source: string): string[] {
  const labels: string[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    let label: Label;
    try {
      label = Label.decode(raw.subarray(bounds.items[i], bounds.items[i + 1])) as unknown as Label;
    } catch (error) {
      throw corrupt(source, error);
    }
    const key = stringAt(label.key);
    const str = stringAt(label.str);
    labels.push(`${key}=${str !== "" ? str : toNumber(label.num)}`);
  }
  return labels;
}
