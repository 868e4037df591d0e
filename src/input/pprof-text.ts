import { InputError, type ProfileMeta } from "../model/profile.js";
import { detached, type StackTree } from "../model/stack-tree.js";
import { readLines, type LineParser } from "./line-parser.js";
import type { ProfileReader } from "./reader.js";
import { chooseSampleType } from "./sample-type.js";

/**
 * The legacy text profiles `go tool pprof` reads: Go's `debug=1` heap, allocs,
 * goroutine, threadcreate, mutex and block profiles, and gperftools' heap
 * profile. A header line names the kind, then each sample is one line of
 * values and the stack's addresses, leaf first:
 *
 *     heap profile: 96: 24904096 [164: 27099664] @ heap/131072
 *     95: 24903680 [95: 24903680] @ 0x4bbf08 0x4bbde5 0x461c81
 *     #	0x4bbf07	main.bigBuffer+0x27	/src/main.go:63
 *     #	0x4bbde4	main.allocate+0x64	/src/main.go:55
 *
 * Go follows a sample with `#` lines naming its frames, leaf first (inlined
 * calls get a line each; runtime frames above the caller and runtime.goexit
 * are left out). Those names are the frames; a sample without them (gperftools)
 * shows its addresses, as pprof does without the binary.
 */

interface SampleType {
  name: string;
  unit: string;
}

interface Kind {
  types: SampleType[];
  /** The values of one sample line, in `types` order; undefined when the line is not a sample. */
  values(line: string, attributes: Map<string, string>): { values: number[]; addresses: string[] } | undefined;
}

const HEAP_HEADER = /^heap profile: *\d+: *\d+ *\[ *\d+: *\d+ *\] *@ *(\S*)/;
const HEAP_SAMPLE = /^ *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@(.*)$/;
const COUNT_HEADER = /^(goroutine|threadcreate) profile: total \d+/;
const COUNT_SAMPLE = /^(\d+) @(.*)$/;
const CONTENTION_HEADER = /^--- (contention|mutex):/;
const CONTENTION_SAMPLE = /^(\d+) (\d+) @(.*)$/;
const MAPPED_LIBRARIES = "MAPPED_LIBRARIES:";
/** A stack address as Go and gperftools print it. */
const ADDRESS = /^0x[0-9a-f]+$/i;
const ATTRIBUTE = /^([a-z /]+)=(.*)$/;
/** `#	0x4bbf07	main.bigBuffer+0x27	/src/main.go:63`: address, name+offset, file:line. */
const FRAME_COMMENT = /^#\t(0x[0-9a-f]+)\t([^\t]+?)(?:\+0x[0-9a-f]+)?(?:\t|$)/;

/** First line of each kind. */
const HEADERS = [HEAP_HEADER, COUNT_HEADER, CONTENTION_HEADER];

export const pprofTextReader: ProfileReader = {
  name: "pprof-text",
  uses: ["sampleIndex"],
  detect: (head) => {
    const first = head.lines.find((line) => line.trim() !== "");
    return first !== undefined && HEADERS.some((header) => header.test(first.trimStart()));
  },
  read: (input, { source, tree, options }) => readLines(input, createPprofTextParser(tree, source, options.sampleIndex), source),
};

function kindOf(header: string): Kind | undefined {
  const heap = HEAP_HEADER.exec(header);
  if (heap) return heapKind(heap[1]);
  const count = COUNT_HEADER.exec(header);
  if (count) {
    return {
      types: [{ name: count[1], unit: "count" }],
      values: (line) => {
        const match = COUNT_SAMPLE.exec(line);
        return match ? { values: [Number(match[1])], addresses: addressesIn(match[2]) } : undefined;
      },
    };
  }
  if (CONTENTION_HEADER.test(header)) return contentionKind();
  return undefined;
}

/**
 * `inuse_objects: inuse_bytes [alloc_objects: alloc_bytes]`. Sampled heap
 * profiles (`heap/2×rate` from Go, `heap_v2/rate` from gperftools) count each
 * sampled allocation for the allocations it stands for, as Go's own protobuf
 * writer does: a pair (objects, bytes) of average size s is scaled by
 * 1 / (1 - e^(-s/rate)).
 */
function heapKind(sampling: string): Kind {
  const [scheme, rateText] = sampling.split("/");
  const rate = scheme === "heap" ? Number(rateText) / 2 : scheme === "heap_v2" ? Number(rateText) : 0;
  const scale = (objects: number, bytes: number): [number, number] => {
    if (objects === 0 || bytes === 0) return [0, 0];
    if (!(rate > 1)) return [objects, bytes];
    const factor = 1 / (1 - Math.exp(-bytes / objects / rate));
    return [Math.trunc(objects * factor), Math.trunc(bytes * factor)];
  };
  return {
    types: [
      { name: "alloc_objects", unit: "count" },
      { name: "alloc_space", unit: "bytes" },
      { name: "inuse_objects", unit: "count" },
      { name: "inuse_space", unit: "bytes" },
    ],
    values: (line) => {
      const match = HEAP_SAMPLE.exec(line);
      if (!match) return undefined;
      const [inuseObjects, inuseBytes, allocObjects, allocBytes] = match.slice(1, 5).map(Number);
      return { values: [...scale(allocObjects, allocBytes), ...scale(inuseObjects, inuseBytes)], addresses: addressesIn(match[5]) };
    },
  };
}

/**
 * `cycles count` per stack, after `cycles/second=` and (for mutex profiles)
 * `sampling period=` lines: delays become nanoseconds, and both values are
 * multiplied by the sampling period, as Go's protobuf writer does.
 */
function contentionKind(): Kind {
  return {
    types: [
      { name: "contentions", unit: "count" },
      { name: "delay", unit: "nanoseconds" },
    ],
    values: (line, attributes) => {
      const match = CONTENTION_SAMPLE.exec(line);
      if (!match) return undefined;
      const cyclesPerSecond = Number(attributes.get("cycles/second") ?? 1e9);
      const period = Number(attributes.get("sampling period") ?? 1);
      const delay = Math.trunc((Number(match[1]) / cyclesPerSecond) * 1e9);
      return { values: [Number(match[2]) * period, delay * period], addresses: addressesIn(match[3]) };
    },
  };
}

function addressesIn(text: string): string[] {
  return text.split(" ").filter((address) => address !== "");
}

interface OpenSample {
  value: number;
  addresses: string[];
  /** Frame names from the `#` lines, leaf first. */
  names: string[];
}

function createPprofTextParser(tree: StackTree, source: string, sampleIndex: string | number | undefined): LineParser {
  let kind: Kind | undefined;
  let chosen = 0;
  const attributes = new Map<string, string>();
  let sample: OpenSample | undefined;
  let samples = 0;
  let lineNumber = 0;
  /** Past the samples: the rest is a memory map. */
  let ended = false;
  const ids: number[] = [];

  const close = () => {
    if (!sample) return;
    ids.length = 0;
    // Go prints pc-1 for each return address; pprof shows the same addresses.
    const frames = sample.names.length > 0 ? sample.names : sample.addresses.map(callSite);
    for (const frame of frames) ids.push(tree.intern(frame));
    if (sample.value !== 0) tree.addIdsLeafFirst(ids, sample.value);
    sample = undefined;
  };

  return {
    line(text) {
      lineNumber++;
      if (ended) return;
      if (!kind) {
        if (text.trim() === "") return;
        kind = kindOf(text.trimStart());
        if (!kind) throw new InputError(source, `line ${lineNumber}: not a legacy pprof text profile header`);
        chosen = chooseSampleType(kind.types.map((t) => t.name), sampleIndex, source);
        return;
      }
      const frame = FRAME_COMMENT.exec(text);
      if (frame) {
        sample?.names.push(detached(frame[2]));
        return;
      }
      if (text.startsWith("#") || text.trim() === "") return close();
      // gperftools appends the process's memory map; it names no samples.
      if (text.startsWith(MAPPED_LIBRARIES)) {
        close();
        ended = true;
        return;
      }
      const attribute = ATTRIBUTE.exec(text);
      if (attribute) {
        attributes.set(attribute[1], attribute[2]);
        return;
      }
      const parsed = kind.values(text, attributes);
      if (!parsed || !parsed.addresses.every((address) => ADDRESS.test(address))) {
        throw new InputError(source, `line ${lineNumber}: not a sample of this profile: ${JSON.stringify(text.slice(0, 80))}`);
      }
      close();
      samples++;
      sample = { value: parsed.values[chosen], addresses: parsed.addresses, names: [] };
    },
    end(): ProfileMeta {
      close();
      if (!kind) throw new InputError(source, "empty input");
      if (samples === 0) throw new InputError(source, "profile has no samples");
      return { sampleType: kind.types[chosen].name, unit: kind.types[chosen].unit };
    },
  };
}

/** A return address as the call site pprof shows: one byte back. */
function callSite(address: string): string {
  const value = BigInt(address);
  return "0x" + (value > 0n ? value - 1n : value).toString(16);
}
