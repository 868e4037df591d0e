import { InputError, type ProfileMeta } from "../model/profile.js";
import { addCpuProfile } from "./cpuprofile.js";
import { isRecord, parseJson, readJsonText } from "./json-input.js";
import type { ProfileReader } from "./reader.js";

/**
 * Reader for Chrome trace-event JSON (DevTools' Performance panel, chrome://tracing,
 * `--trace-startup`, Puppeteer/Playwright tracing) holding V8 CPU profiles: events
 * named `Profile` (a profile's start: its thread and `startTime`) and `ProfileChunk`
 * (nodes with `parent` links, `samples` and `timeDeltas` as they are recorded), tied
 * by the event's `id` within its process; and the older single `CpuProfile` event
 * holding a whole `.cpuprofile`. Each profile is rebuilt as a `.cpuprofile` and read
 * like one, so weights (`samples` or `time`) mean the same.
 *
 * A trace may hold several profiles (one per renderer process or worker thread, or
 * a DevTools-protocol profile next to the tracing one): each then sits under a root
 * frame naming its process and thread, `Renderer 4242 / CrRendererMain 4242`, so a
 * graph shows them side by side and `--focus`/`--ignore` on that frame picks one.
 * Both forms of the format are read: `{"traceEvents": [...]}` and a bare array,
 * whose closing `]` may be missing (a trace cut off while it was written).
 */

export const chromeTraceReader: ProfileReader = {
  name: "chrome-trace",
  uses: ["sampleIndex"],
  detect: (head) => looksLikeTrace(head.text),
  read: async (input, { source, tree, options }) => {
    const profiles = traceProfiles(traceEvents(parseTrace(await readJsonText(input, source), source), source), source);
    const sampled = profiles.filter((profile) => profile.cpuProfile.samples.length > 0);
    if (sampled.length === 0) {
      throw new InputError(source, "Chrome trace holds no CPU profile samples (record it with the disabled-by-default-v8.cpu_profiler category)");
    }
    const sampleIndex = options.sampleIndex?.toString();
    let meta: ProfileMeta | undefined;
    for (const { cpuProfile, label } of sampled) {
      if (sampled.length > 1) labelProfile(cpuProfile.nodes, label);
      meta = addCpuProfile(cpuProfile, source, { sampleIndex }, tree);
    }
    return meta!;
  },
};

/** A JSON object with a `traceEvents` member, or a JSON array whose first element is an event (`"ph"`). */
function looksLikeTrace(text: string): boolean {
  const start = text.trimStart();
  if (start.startsWith("{")) return /^\{[^]*?"traceEvents"\s*:\s*\[/.test(start);
  return /^\[\s*\{\s*"/.test(start) && /"ph"\s*:\s*"/.test(start);
}

/** The trace's JSON; a bare array may lack its closing bracket (and end in a comma), as the format allows. */
function parseTrace(text: string, source: string): unknown {
  const trimmed = text.trimEnd();
  if (trimmed.trimStart().startsWith("[") && !trimmed.endsWith("]")) {
    return parseJson(`${trimmed.replace(/,$/, "")}]`, source);
  }
  return parseJson(text, source);
}

// ---------------------------------------------------------------- events

interface TraceEvent {
  name?: unknown;
  ph?: unknown;
  pid?: unknown;
  tid?: unknown;
  ts?: unknown;
  id?: unknown;
  args?: { data?: Record<string, unknown>; name?: unknown };
}

function traceEvents(json: unknown, source: string): TraceEvent[] {
  const events = isRecord(json) ? json.traceEvents : json;
  if (!Array.isArray(events)) throw new InputError(source, "not a Chrome trace: traceEvents is not a list");
  return events.filter(isRecord);
}

/** A V8 CPU profile in the `.cpuprofile` shape (nodes with children lists). */
interface CpuProfile {
  nodes: Array<{ id: unknown; callFrame: unknown; children?: unknown }>;
  startTime?: unknown;
  endTime?: unknown;
  samples: unknown[];
  timeDeltas?: unknown[];
}

interface TraceProfile {
  cpuProfile: CpuProfile;
  label: string;
}

/** One `Profile` and its chunks while they are gathered. */
interface Gathering {
  pid: unknown;
  tid: unknown;
  id: unknown;
  /** "Internal" for the tracing profiler's own, "Inspector" for a DevTools-protocol one. */
  origin?: unknown;
  startTime?: unknown;
  endTime?: unknown;
  chunks: Array<{ ts: number; data: Record<string, unknown> }>;
}

/** Every profile in the trace, in the order their first event appears. */
function traceProfiles(events: TraceEvent[], source: string): TraceProfile[] {
  const processNames = new Map<unknown, string>();
  const threadNames = new Map<string, string>();
  const gathering = new Map<string, Gathering>();
  const whole: Array<{ pid: unknown; tid: unknown; profile: unknown }> = [];
  const gather = (event: TraceEvent) => {
    const key = `${String(event.pid)}:${String(event.id)}`;
    let profile = gathering.get(key);
    if (!profile) gathering.set(key, (profile = { pid: event.pid, tid: event.tid, id: event.id, chunks: [] }));
    return profile;
  };
  for (const event of events) {
    const data = isRecord(event.args?.data) ? event.args.data : undefined;
    if (event.ph === "M" && typeof event.args?.name === "string") {
      if (event.name === "process_name") processNames.set(event.pid, event.args.name);
      if (event.name === "thread_name") threadNames.set(`${String(event.pid)}:${String(event.tid)}`, event.args.name);
    } else if (event.name === "Profile" && data) {
      const profile = gather(event);
      // Chunks come from the profiler's own thread; the Profile event names the sampled one.
      profile.tid = event.tid;
      profile.startTime = data.startTime;
      profile.origin = data.source;
    } else if (event.name === "ProfileChunk" && data) {
      const profile = gather(event);
      if (data.endTime !== undefined) profile.endTime = data.endTime;
      profile.chunks.push({ ts: typeof event.ts === "number" ? event.ts : 0, data });
    } else if (event.name === "CpuProfile" && data) {
      whole.push({ pid: event.pid, tid: event.tid, profile: data.cpuProfile });
    }
  }
  const threadLabel = (pid: unknown, tid: unknown) =>
    `${processNames.get(pid) ?? "process"} ${String(pid)} / ${threadNames.get(`${String(pid)}:${String(tid)}`) ?? "thread"} ${String(tid)}`;
  const profiles = [
    ...Array.from(gathering.values(), (profile) => ({
      cpuProfile: fromChunks(profile, source),
      label: threadLabel(profile.pid, profile.tid),
      name: `${typeof profile.origin === "string" ? `${profile.origin} ` : ""}profile ${String(profile.id)}`,
    })),
    ...whole.map(({ pid, tid, profile }, index) => ({ cpuProfile: wholeProfile(profile, source), label: threadLabel(pid, tid), name: `CpuProfile ${index + 1}` })),
  ];
  // Two profiles of one thread (a DevTools-protocol one next to the tracing one) are told apart by name.
  const perLabel = new Map<string, number>();
  for (const { label } of profiles) perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
  return profiles.map(({ cpuProfile, label, name }) => ({ cpuProfile, label: perLabel.get(label)! > 1 ? `${label} / ${name}` : label }));
}

/**
 * Joins a profile's chunks, in time order, into one `.cpuprofile`: nodes arrive
 * with `parent` ids (the `.cpuprofile` has `children` lists), samples and time
 * deltas are appended, each delta still relative to the sample before.
 */
function fromChunks(profile: Gathering, source: string): CpuProfile {
  const nodes: Array<{ id: unknown; callFrame: unknown; children: unknown[] }> = [];
  const byId = new Map<unknown, (typeof nodes)[number]>();
  const parents: Array<[unknown, unknown]> = [];
  const samples: unknown[] = [];
  const timeDeltas: unknown[] = [];
  const chunks = profile.chunks.slice().sort((a, b) => a.ts - b.ts);
  for (const { data } of chunks) {
    const cpuProfile = isRecord(data.cpuProfile) ? data.cpuProfile : {};
    for (const node of listOf(cpuProfile.nodes, "ProfileChunk nodes", source)) {
      if (!isRecord(node)) throw new InputError(source, "not a Chrome trace profile: a ProfileChunk node is not an object");
      const converted = { id: node.id, callFrame: node.callFrame, children: [] as unknown[] };
      nodes.push(converted);
      byId.set(node.id, converted);
      if (node.parent !== undefined) parents.push([node.id, node.parent]);
    }
    samples.push(...listOf(cpuProfile.samples, "ProfileChunk samples", source));
    timeDeltas.push(...listOf(data.timeDeltas, "ProfileChunk timeDeltas", source));
  }
  for (const [id, parentId] of parents) {
    const parent = byId.get(parentId);
    if (!parent) throw new InputError(source, `not a Chrome trace profile: node ${String(id)} has unknown parent ${String(parentId)}`);
    parent.children.push(id);
  }
  return { nodes, startTime: profile.startTime, endTime: profile.endTime, samples, timeDeltas: timeDeltas.length > 0 ? timeDeltas : undefined };
}

function listOf(value: unknown, field: string, source: string): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  throw new InputError(source, `not a Chrome trace profile: ${field} is not a list`);
}

/** The older `CpuProfile` event's whole profile, already in `.cpuprofile` shape. */
function wholeProfile(profile: unknown, source: string): CpuProfile {
  if (!isRecord(profile) || !Array.isArray(profile.nodes)) throw new InputError(source, "not a Chrome trace profile: a CpuProfile event has no nodes");
  return { ...profile, samples: listOf(profile.samples, "CpuProfile samples", source) } as CpuProfile;
}

/**
 * Puts the thread's label at the top of the profile's stacks: its `(root)` node,
 * which the `.cpuprofile` reader would leave out, takes the label's name; a
 * profile without one gets a new node above its top-level nodes.
 */
function labelProfile(nodes: CpuProfile["nodes"], label: string): void {
  const labelFrame = { functionName: label, url: "", lineNumber: -1 };
  const children = new Set(nodes.flatMap((node) => (Array.isArray(node.children) ? node.children : [])));
  const tops = nodes.filter((node) => !children.has(node.id));
  const root = tops.length === 1 && isRecord(tops[0].callFrame) && tops[0].callFrame.functionName === "(root)" ? tops[0] : undefined;
  if (root) {
    root.callFrame = labelFrame;
    return;
  }
  const ids = new Set(nodes.map((node) => node.id));
  let id = -1;
  while (ids.has(id)) id--;
  nodes.push({ id, callFrame: labelFrame, children: tops.map((node) => node.id) });
}
