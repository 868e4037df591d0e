import type { ProfileMeta } from "../model/profile.js";
import type { ProfileReader } from "./reader.js";
import { chooseSampleType } from "./sample-type.js";

/**
 * Apple Instruments' Time Profiler table as `xctrace export` writes it:
 *
 *     xctrace export --input run.trace \
 *       --xpath '/trace-toc/run[@number="1"]/data/table[@schema="time-profile"]'
 *
 * XML whose root is `<trace-query-result>`. Detection is here; the reader
 * (xctrace-time-profile.ts, with the saxes XML parser) loads only when such a
 * file is read. Values: `weight` (each sample's CPU time in nanoseconds, the
 * default) or `samples`, chosen with --sample-index.
 */

const VALUES = ["weight", "samples"] as const;
const META: Record<(typeof VALUES)[number], ProfileMeta> = {
  weight: { sampleType: "cpu", unit: "nanoseconds" },
  samples: { sampleType: "samples", unit: "samples" },
};

/** The root element, after an optional byte order mark, XML declaration and white space. */
const ROOT = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?<trace-query-result[\s>]/;

export const xctraceReader: ProfileReader = {
  name: "xctrace",
  uses: ["sampleIndex"],
  detect: (head) => ROOT.test(head.text),
  read: async (input, context) => {
    const value = VALUES[chooseSampleType(VALUES, context.options.sampleIndex ?? "weight", context.source)];
    const { readTimeProfile } = await import("./xctrace-time-profile.js");
    await readTimeProfile(input, context, value === "weight");
    return META[value];
  },
};
