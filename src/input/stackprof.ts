import { InputError, type ProfileMeta } from "../model/profile.js";
import { isRecord, readJson } from "./json-input.js";
import type { ProfileReader } from "./reader.js";

/**
 * Ruby stackprof's JSON (`stackprof --json out.dump`, or `JSON.generate` of
 * `StackProf.run(raw: true)`'s result): `frames` maps a frame id to its
 * `name`, and `raw` lists the samples as one flat array of
 * `[stack length, frame ids root first..., weight]` runs, as
 * `stackprof --stackcollapse` reads them. Frames are named as stackprof's own
 * reports name them (`Object#fib`, `block in <main>`). Weights count samples
 * (modes cpu and wall) or allocated objects (mode object).
 */

export const stackprofReader: ProfileReader = {
  name: "stackprof",
  detect: (head) =>
    head.text.trimStart().startsWith("{") && head.text.includes('"mode"') && head.text.includes('"frames"') && head.text.includes('"missed_samples"'),
  read: async (input, { source, tree, checkDeadline }) => {
    const profile = await readJson(input, source);
    if (!isRecord(profile) || !isRecord(profile.frames)) throw new InputError(source, "not a stackprof profile: it has no frames");
    const { frames, raw, mode } = profile;
    if (!Array.isArray(raw)) {
      throw new InputError(source, "stackprof profile without raw samples: record it with StackProf.run(raw: true)");
    }
    const ids = new Map<unknown, number>();
    const idOf = (frame: unknown, at: number) => {
      let id = ids.get(frame);
      if (id === undefined) {
        const info = typeof frame === "number" ? frames[String(frame)] : undefined;
        if (!isRecord(info) || typeof info.name !== "string") throw new InputError(source, `raw[${at}] is frame ${JSON.stringify(frame)}, which frames does not name`);
        ids.set(frame, (id = tree.intern(info.name)));
      }
      return id;
    };
    const count = (at: number, what: string) => {
      const value = raw[at];
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        throw new InputError(source, `raw[${at}] should be a ${what} but is ${at < raw.length ? JSON.stringify(value) : "missing"}`);
      }
      return value;
    };
    for (let at = 0, samples = 0; at < raw.length; samples++) {
      if (samples % 65536 === 0) checkDeadline();
      const length = count(at, "stack length");
      let node = tree.root;
      for (let i = at + 1; i <= at + length; i++) node = tree.child(node, idOf(raw[i], i));
      tree.addSelf(node, count(at + length + 1, "sample weight"));
      at += length + 2;
    }
    if (tree.selfSum() === 0) throw new InputError(source, "stackprof profile holds no samples");
    return META[mode === "object" ? "object" : "samples"];
  },
};

const META: Record<"object" | "samples", ProfileMeta> = {
  object: { sampleType: "objects", unit: "count" },
  samples: { sampleType: "samples", unit: "samples" },
};
