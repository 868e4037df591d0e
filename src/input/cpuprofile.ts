import { InputError, type ProfileMeta } from "../model/profile.js";
import type { MergeMode, StackTree } from "../model/stack-tree.js";
import { chooseSampleType } from "./sample-type.js";
import { isRecord, parseJson, readJsonText, withoutBom } from "./json-input.js";
import type { ProfileReader } from "./reader.js";

/**
 * Reader for V8 CPU profiles (`.cpuprofile`, written by `node --cpu-prof` and
 * by Chrome DevTools' "Save profile"): the DevTools protocol's Profiler.Profile.
 * Nodes form a call tree through their `children` lists, and `samples` names
 * the node on top of the stack at each sampling tick.
 */

export interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based; -1 for V8's own pseudo-frames such as (program). */
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount: number;
  children: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, like `timeDeltas`. */
  startTime?: number;
  endTime?: number;
  samples?: number[];
  /** timeDeltas[i] is the time from the previous sample (from startTime for the first) to sample i. */
  timeDeltas?: number[];
}

type Weighting = "samples" | "time";

/** The sample types a V8 profile offers, in index order as for pprof's sample index. */
const WEIGHTINGS: readonly Weighting[] = ["samples", "time"];

const META: Record<Weighting, ProfileMeta> = {
  samples: { sampleType: "samples", unit: "samples" },
  time: { sampleType: "time", unit: "microseconds" },
};

/** Weight attributed to one profile node, given as its index in `nodes`. */
interface Hit {
  node: number;
  weight: number;
}

const ROOT_NAME = "(root)";
const FILE_URL_PREFIX = "file://";

/** Any JSON object is taken for a V8 profile, so that JSON errors are reported as such. */
export const cpuProfileReader: ProfileReader = {
  name: "cpuprofile",
  uses: ["sampleIndex"],
  detect: (head) => head.text.trimStart().startsWith("{"),
  read: async (input, { source, tree, options }) =>
    readCpuProfile(await readJsonText(input, source), source, { sampleIndex: options.sampleIndex?.toString() }, tree),
};

/** Auto-detection from the first few KB: a JSON object holding V8 profile nodes. */
export function looksLikeCpuProfile(head: string): boolean {
  const text = withoutBom(head).trimStart();
  return text.startsWith("{") && text.includes('"nodes"') && (text.includes('"callFrame"') || text.includes('"samples"'));
}

/**
 * Adds every sample's stack to `tree`. Weights are sample counts, or with
 * `sampleIndex: "time"` microseconds (see `sampleDurations`). The synthetic
 * (root) node is left out, as the tree has a root of its own; V8's
 * (program), (idle) and (garbage collector) stay as top-level frames.
 */
export function readCpuProfile(
  text: string,
  source: string,
  options: { sampleIndex?: string },
  tree: StackTree,
): ProfileMeta {
  return addCpuProfile(parseJson(text, source), source, options, tree);
}

/** `readCpuProfile` on parsed JSON, for formats that carry V8 profiles inside (Chrome traces). */
export function addCpuProfile(json: unknown, source: string, options: { sampleIndex?: string }, tree: StackTree): ProfileMeta {
  // A name or index picks the weighting, as for pprof sample types; samples by default.
  const weighting = WEIGHTINGS[chooseSampleType(WEIGHTINGS, options.sampleIndex ?? "samples", source)];
  const profile = toCpuProfile(json, source);
  const indexOf = indexById(profile.nodes, source);
  const parentOf = parentsOf(profile.nodes, indexOf, source);
  const hits = profile.samples
    ? sampleHits(profile, profile.samples, indexOf, weighting, source)
    : hitCountHits(profile, weighting, source);
  if (hits.length === 0) throw new InputError(source, "V8 CPU profile holds no samples");
  addStacks(tree, profile.nodes, parentOf, coalesce(hits, tree.mergeMode), source);
  return META[weighting];
}

// ---------------------------------------------------------------- parsing

/** The profile itself, or one wrapped the way Chrome DevTools traces do (`profile` / `cpuProfile`). */
function toCpuProfile(json: unknown, source: string): CpuProfile {
  const candidates = isRecord(json) ? [json, json.profile, json.cpuProfile] : [];
  const found = candidates.find((c): c is Record<string, unknown> => isRecord(c) && (Array.isArray(c.nodes) || isRecord(c.head)));
  if (!found) throw new InputError(source, "not a V8 CPU profile: missing nodes");
  const raw = Array.isArray(found.nodes) ? found : fromHeadTree(found);
  return {
    nodes: (raw.nodes as unknown[]).map((node, index) => toProfileNode(node, index, source)),
    startTime: optionalNumber(raw.startTime, "startTime", source),
    endTime: optionalNumber(raw.endTime, "endTime", source),
    samples: optionalNumbers(raw.samples, "samples", source),
    timeDeltas: optionalNumbers(raw.timeDeltas, "timeDeltas", source),
  };
}

/**
 * The format before Chrome 52 and Node 10 (the protocol's old CPUProfile):
 * a `head` node whose `children` are nodes, not ids, with the call frame's
 * fields on the node and 1-based lines; start and end times in seconds and
 * absolute sample `timestamps` in microseconds. Converted to the current
 * form as DevTools does when it opens such a file.
 */
function fromHeadTree(old: Record<string, unknown>): Record<string, unknown> {
  const nodes: Record<string, unknown>[] = [];
  const pending: unknown[] = [old.head];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isRecord(node)) continue;
    const children = Array.isArray(node.children) ? node.children : [];
    const oneBased = (value: unknown) => (typeof value === "number" && value > 0 ? value - 1 : -1);
    nodes.push({
      id: node.id,
      callFrame: { functionName: node.functionName, url: node.url, lineNumber: oneBased(node.lineNumber) },
      hitCount: node.hitCount,
      children: children.map((child) => (isRecord(child) ? child.id : undefined)),
    });
    pending.push(...children);
  }
  const seconds = (value: unknown) => (typeof value === "number" ? value * 1e6 : value);
  const startTime = seconds(old.startTime);
  const timestamps = old.timestamps;
  const timeDeltas = Array.isArray(timestamps)
    ? timestamps.map((time, i) => (typeof time === "number" ? time - (i > 0 ? timestamps[i - 1] : typeof startTime === "number" ? startTime : time) : time))
    : undefined;
  return { nodes, startTime, endTime: seconds(old.endTime), samples: old.samples, timeDeltas };
}

function toProfileNode(value: unknown, index: number, source: string): ProfileNode {
  if (!isRecord(value) || typeof value.id !== "number" || !isRecord(value.callFrame)) {
    throw new InputError(source, `not a V8 CPU profile: nodes[${index}] has no id or callFrame`);
  }
  const { functionName, url, lineNumber } = value.callFrame;
  return {
    id: value.id,
    callFrame: {
      functionName: typeof functionName === "string" ? functionName : "",
      url: typeof url === "string" ? url : "",
      lineNumber: typeof lineNumber === "number" ? lineNumber : -1,
    },
    hitCount: optionalNumber(value.hitCount, `nodes[${index}].hitCount`, source) ?? 0,
    children: optionalNumbers(value.children, `nodes[${index}].children`, source) ?? [],
  };
}

function optionalNumber(value: unknown, field: string, source: string): number | undefined {
  if (value === undefined || typeof value === "number") return value;
  throw new InputError(source, `not a V8 CPU profile: ${field} is not a number`);
}

function optionalNumbers(value: unknown, field: string, source: string): number[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === "number")) return value;
  throw new InputError(source, `not a V8 CPU profile: ${field} is not a list of numbers`);
}

// ---------------------------------------------------------------- call tree

function indexById(nodes: ProfileNode[], source: string): Map<number, number> {
  const indexOf = new Map<number, number>();
  nodes.forEach((node, index) => {
    if (indexOf.has(node.id)) throw new InputError(source, `duplicate node id ${node.id}`);
    indexOf.set(node.id, index);
  });
  return indexOf;
}

/** Parent index of every node (-1 for top-level ones), from the nodes' child lists. */
function parentsOf(nodes: ProfileNode[], indexOf: Map<number, number>, source: string): Int32Array {
  const parentOf = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((node, parent) => {
    for (const childId of node.children) {
      const child = indexOf.get(childId);
      if (child === undefined) throw new InputError(source, `node ${node.id} lists unknown child ${childId}`);
      if (parentOf[child] !== -1) throw new InputError(source, `node ${childId} has more than one parent`);
      parentOf[child] = parent;
    }
  });
  return parentOf;
}

/** `name (url:line)`, with the 1-based line people and editors use (V8 counts from 0). */
export function frameName({ functionName, url, lineNumber }: CallFrame): string {
  const name = functionName || "(anonymous)";
  if (!url) return name;
  const file = url.startsWith(FILE_URL_PREFIX) ? url.slice(FILE_URL_PREFIX.length) : url;
  return lineNumber >= 0 ? `${name} (${file}:${lineNumber + 1})` : `${name} (${file})`;
}

/**
 * Walks parent links from each hit's node to build its stack. The walk is a
 * loop because stacks may be 100,000 frames deep; a stack longer than the node
 * count can only come from a cycle in the child lists.
 */
function addStacks(tree: StackTree, nodes: ProfileNode[], parentOf: Int32Array, hits: Hit[], source: string): void {
  const nameIdOf = frameNameIds(tree, nodes, parentOf);
  const stackLeafFirst: number[] = [];
  for (const { node, weight } of hits) {
    stackLeafFirst.length = 0;
    for (let n = node; n !== -1; n = parentOf[n]) {
      const nameId = nameIdOf(n);
      if (nameId !== undefined) stackLeafFirst.push(nameId);
      if (stackLeafFirst.length > nodes.length) throw new InputError(source, "cycle in the profile's call tree");
    }
    tree.addIdsLeafFirst(stackLeafFirst, weight);
  }
}

/** Interns frame names on first use, so names of never-sampled nodes stay out of the tree. */
function frameNameIds(tree: StackTree, nodes: ProfileNode[], parentOf: Int32Array): (node: number) => number | undefined {
  const UNSET = -1;
  const ids = new Int32Array(nodes.length).fill(UNSET);
  return (node) => {
    const { callFrame } = nodes[node];
    if (parentOf[node] === -1 && callFrame.functionName === ROOT_NAME) return undefined;
    if (ids[node] === UNSET) ids[node] = tree.intern(frameName(callFrame));
    return ids[node];
  };
}

// ---------------------------------------------------------------- weights

/** One hit per sample, in time order. */
function sampleHits(
  profile: CpuProfile,
  samples: number[],
  indexOf: Map<number, number>,
  weighting: Weighting,
  source: string,
): Hit[] {
  const times = sampleTimestamps(profile, samples.length, source);
  const order = inTimeOrder(samples.length, times);
  const weights = sampleWeights(profile, order, times, weighting, source);
  return order.map((sample, k) => {
    const node = indexOf.get(samples[sample]);
    if (node === undefined) throw new InputError(source, `sample ${sample} refers to unknown node ${samples[sample]}`);
    return { node, weight: weights[k] };
  });
}

/** Absolute sample times in microseconds, or undefined when the profile has no timeDeltas. */
function sampleTimestamps(profile: CpuProfile, sampleCount: number, source: string): number[] | undefined {
  const deltas = profile.timeDeltas;
  if (deltas === undefined) return undefined;
  if (deltas.length !== sampleCount) {
    throw new InputError(source, `timeDeltas has ${deltas.length} entries but samples has ${sampleCount}`);
  }
  let time = profile.startTime ?? 0;
  return deltas.map((delta) => (time += delta));
}

/** Sample indexes sorted by time: profiles stitched from traces may hold negative deltas. */
function inTimeOrder(sampleCount: number, times: number[] | undefined): number[] {
  const order = Array.from({ length: sampleCount }, (_, sample) => sample);
  return times ? order.sort((a, b) => times[a] - times[b]) : order;
}

/** The weight of each sample, listed in time order. */
function sampleWeights(
  profile: CpuProfile,
  order: number[],
  times: number[] | undefined,
  weighting: Weighting,
  source: string,
): number[] {
  if (weighting === "samples") return order.map(() => 1);
  if (times) return sampleDurations(order.map((sample) => times[sample]), profile.endTime);
  const interval = evenInterval(profile, order.length, source);
  return order.map(() => interval);
}

/**
 * How long each sample stands for, by Chrome DevTools' convention
 * (CPUProfileDataModel): a sample lasts from its own timestamp until the next
 * sample's, so sample i gets timeDeltas[i + 1] (timeDeltas[i] is the gap
 * *before* it). The last sample has no successor and gets the average interval
 * of the ones before it; a lone sample lasts until the profile's endTime.
 */
function sampleDurations(sortedTimes: number[], endTime: number | undefined): number[] {
  const last = sortedTimes.length - 1;
  const first = sortedTimes[0];
  const lastDuration = last > 0 ? (sortedTimes[last] - first) / last : Math.max(0, (endTime ?? first) - first);
  return sortedTimes.map((time, k) => (k < last ? sortedTimes[k + 1] - time : lastDuration));
}

/** With no per-sample times, DevTools spreads the profile's duration evenly over its samples. */
function evenInterval(profile: CpuProfile, sampleCount: number, source: string): number {
  const { startTime, endTime } = profile;
  if (startTime === undefined || endTime === undefined) {
    throw new InputError(source, "cannot weight by time: the profile has no timeDeltas, startTime or endTime");
  }
  return (endTime - startTime) / sampleCount;
}

/** Profiles without a `samples` list (older DevTools exports) carry per-node hitCounts instead. */
function hitCountHits(profile: CpuProfile, weighting: Weighting, source: string): Hit[] {
  const sampled = profile.nodes.flatMap((node, index) => (node.hitCount > 0 ? [{ node: index, hits: node.hitCount }] : []));
  if (sampled.length === 0) return [];
  const totalHits = sampled.reduce((sum, { hits }) => sum + hits, 0);
  const perHit = weighting === "time" ? evenInterval(profile, totalHits, source) : 1;
  return sampled.map(({ node, hits }) => ({ node, weight: hits * perHit }));
}

/**
 * Merges hits before stacks are built, since building one costs its depth.
 * A flame graph ("merge") needs only one total per node; a flame chart
 * ("adjacent") keeps time order, so there only consecutive hits merge.
 */
function coalesce(hits: Hit[], mergeMode: MergeMode): Hit[] {
  if (mergeMode === "merge") {
    const totals = new Map<number, number>();
    for (const { node, weight } of hits) totals.set(node, (totals.get(node) ?? 0) + weight);
    return Array.from(totals, ([node, weight]) => ({ node, weight }));
  }
  const runs: Hit[] = [];
  for (const hit of hits) {
    const previous = runs.at(-1);
    if (previous?.node === hit.node) previous.weight += hit.weight;
    else runs.push({ ...hit });
  }
  return runs;
}
