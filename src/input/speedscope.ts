import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { isRecord, readJson } from "./json-input.js";
import type { ProfileReader } from "./reader.js";

/**
 * speedscope's own file format (https://www.speedscope.app/file-format-schema.json),
 * written by speedscope's Export button, py-spy, rbspy, dotnet-trace and
 * `torch --speedscope`: frames listed once in `shared.frames`, then one or
 * more profiles, each either
 *
 * - "sampled": `samples[i]` is a stack of frame indexes, root first, weighing `weights[i]`;
 * - "evented": `O`pen and `C`lose events of frames at values `at`; a stack
 *   weighs the time during which it is the open one (speedscope's own reading).
 *
 * A file with several profiles (one per thread for py-spy and dotnet-trace)
 * is drawn whole, each profile under a root frame named after it, so no
 * thread is hidden; `--sample-index` picks one profile by index or name.
 */

interface Frame {
  name: string;
  file?: string;
  line?: number;
}

interface SpeedscopeProfile {
  type: "sampled" | "evented";
  name: string;
  unit: string;
  raw: Record<string, unknown>;
}

const SCHEMA_URL = "speedscope.app/file-format-schema.json";

const META_OF_UNIT: Record<string, ProfileMeta> = {
  nanoseconds: { sampleType: "time", unit: "nanoseconds" },
  microseconds: { sampleType: "time", unit: "microseconds" },
  milliseconds: { sampleType: "time", unit: "milliseconds" },
  seconds: { sampleType: "time", unit: "seconds" },
  bytes: { sampleType: "space", unit: "bytes" },
  none: { sampleType: "samples", unit: "samples" },
};

export const speedscopeReader: ProfileReader = {
  name: "speedscope",
  uses: ["sampleIndex"],
  detect: (head) => head.text.trimStart().startsWith("{") && head.text.includes(SCHEMA_URL),
  read: async (input, { source, tree, options, checkDeadline }) => {
    const file = await readJson(input, source);
    if (!isRecord(file) || !isRecord(file.shared) || !Array.isArray(file.shared.frames) || !Array.isArray(file.profiles)) {
      throw new InputError(source, "not a speedscope file: it needs shared.frames and profiles");
    }
    const frames = file.shared.frames.map((frame, index) => toFrame(frame, index, source));
    const profiles = chosenProfiles(file.profiles.map((profile, index) => toProfile(profile, index, source)), options.sampleIndex, source);
    const ids = frameIds(tree, frames, source);
    const underOwnRoot = profiles.length > 1;
    for (const profile of profiles) {
      const root = underOwnRoot ? tree.child(tree.root, tree.intern(profile.name)) : tree.root;
      const add = profile.type === "sampled" ? addSampled : addEvented;
      add(profile.raw, { tree, root, ids, source, checkDeadline });
    }
    if (tree.selfSum() === 0) throw new InputError(source, "speedscope file holds no samples");
    return META_OF_UNIT[profiles[0].unit];
  },
};

function toFrame(value: unknown, index: number, source: string): Frame {
  if (!isRecord(value) || typeof value.name !== "string") throw new InputError(source, `not a speedscope file: frame ${index} has no name`);
  return {
    name: value.name,
    file: typeof value.file === "string" && value.file !== "" ? value.file : undefined,
    line: typeof value.line === "number" ? value.line : undefined,
  };
}

function toProfile(value: unknown, index: number, source: string): SpeedscopeProfile {
  if (!isRecord(value) || (value.type !== "sampled" && value.type !== "evented")) {
    throw new InputError(source, `not a speedscope file: profile ${index} is neither "sampled" nor "evented"`);
  }
  const unit = value.unit ?? "none";
  if (typeof unit !== "string" || !(unit in META_OF_UNIT)) {
    throw new InputError(source, `profile ${index} has unit ${JSON.stringify(unit)}; speedscope's units are ${Object.keys(META_OF_UNIT).join(", ")}`);
  }
  const name = typeof value.name === "string" && value.name !== "" ? value.name : `profile ${index}`;
  return { type: value.type, name, unit, raw: value };
}

/** All profiles, or the one `sampleIndex` names (by index or name); all must share one unit. */
function chosenProfiles(profiles: SpeedscopeProfile[], sampleIndex: string | number | undefined, source: string): SpeedscopeProfile[] {
  if (profiles.length === 0) throw new InputError(source, "speedscope file holds no profiles");
  if (sampleIndex !== undefined) {
    const wanted = String(sampleIndex);
    const chosen = profiles.find((profile, index) => String(index) === wanted || profile.name === wanted);
    if (chosen) return [chosen];
    throw new InputError(source, `no profile ${JSON.stringify(wanted)}; this file has: ${profiles.map((p, i) => `${i} (${p.name})`).join(", ")}`);
  }
  const units = [...new Set(profiles.map((profile) => profile.unit))];
  if (units.length > 1) {
    throw new InputError(source, `its profiles are in different units (${units.join(", ")}); pick one with --sample-index`);
  }
  return profiles;
}

/** `name (file:line)`, as V8 frames are named, so functions of the same name in different files stay apart. */
function frameName({ name, file, line }: Frame): string {
  if (file === undefined) return name;
  return line === undefined ? `${name} (${file})` : `${name} (${file}:${line})`;
}

/** Interns each frame's name on first use, so frames no stack uses stay out of the tree. */
function frameIds(tree: StackTree, frames: Frame[], source: string): (index: unknown) => number {
  const ids = new Map<number, number>();
  return (index) => {
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= frames.length) {
      throw new InputError(source, `frame index ${JSON.stringify(index)} is not one of the ${frames.length} shared frames`);
    }
    let id = ids.get(index);
    if (id === undefined) ids.set(index, (id = tree.intern(frameName(frames[index]))));
    return id;
  };
}

/** Where one profile's stacks go. */
interface Target {
  tree: StackTree;
  /** The tree's root, or the profile's own root frame. */
  root: number;
  ids: ReturnType<typeof frameIds>;
  source: string;
  checkDeadline(): void;
}

/** Items between two deadline checks. */
const CHECK_EVERY = 65536;

function addSampled(profile: Record<string, unknown>, { tree, root, ids, source, checkDeadline }: Target): void {
  const { samples, weights } = profile;
  if (!Array.isArray(samples) || !Array.isArray(weights)) throw new InputError(source, "sampled profile without samples and weights lists");
  if (samples.length !== weights.length) {
    throw new InputError(source, `sampled profile has ${samples.length} samples but ${weights.length} weights`);
  }
  samples.forEach((stack, i) => {
    const weight = weights[i];
    if (!Array.isArray(stack)) throw new InputError(source, `sample ${i} is not a list of frame indexes`);
    if (typeof weight !== "number" || !(weight >= 0)) throw new InputError(source, `sample ${i} has weight ${JSON.stringify(weight)}, not a number of 0 or more`);
    if (i % CHECK_EVERY === 0) checkDeadline();
    let node = root;
    for (const frame of stack) node = tree.child(node, ids(frame));
    tree.addSelf(node, weight);
  });
}

/**
 * Replays the open/close events: the time between two events is added to
 * the stack open between them. As in speedscope, a close must name the frame
 * on top, values must not go back, and every frame must be closed.
 */
function addEvented(profile: Record<string, unknown>, { tree, root, ids, source, checkDeadline }: Target): void {
  const { events } = profile;
  if (!Array.isArray(events)) throw new InputError(source, "evented profile without an events list");
  const frames: number[] = [];
  const nodes: number[] = [root];
  let last = -Infinity;
  events.forEach((event, i) => {
    if (!isRecord(event) || typeof event.at !== "number" || !Number.isFinite(event.at)) {
      throw new InputError(source, `event ${i} has no "at" value`);
    }
    if (i % CHECK_EVERY === 0) checkDeadline();
    if (event.at < last) throw new InputError(source, `event ${i} at ${event.at} comes after one at ${last}`);
    if (frames.length > 0) tree.addSelf(nodes[nodes.length - 1], event.at - last);
    last = event.at;
    const id = ids(event.frame);
    if (event.type === "O") {
      frames.push(event.frame as number);
      nodes.push(tree.child(nodes[nodes.length - 1], id));
    } else if (event.type === "C") {
      if (frames.at(-1) !== event.frame) {
        throw new InputError(source, `event ${i} closes frame ${String(event.frame)} while ${frames.length === 0 ? "no frame" : `frame ${frames.at(-1)}`} is open`);
      }
      frames.pop();
      nodes.pop();
    } else {
      throw new InputError(source, `event ${i} has type ${JSON.stringify(event.type)}, not "O" or "C"`);
    }
  });
  if (frames.length > 0) throw new InputError(source, `evented profile ends with ${frames.length} frame(s) still open`);
}
