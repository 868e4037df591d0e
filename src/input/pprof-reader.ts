import type { ProfileReader } from "./reader.js";

/**
 * Go pprof protobuf (gzip is undone before detection). Detection is here;
 * the decoder (pprof.ts, with protobufjs) loads only when a pprof is read.
 */
export const pprofReader: ProfileReader = {
  name: "pprof",
  uses: ["sampleIndex", "keepLabels"],
  readsTwice: true,
  detect: (head) => head.binary && startsLikePprof(head.bytes),
  read: async (input, { source, tree, options, checkDeadline, reread }) => {
    const { readPprofStream } = await import("./pprof.js");
    return readPprofStream(input, source, { ...options, checkDeadline }, tree, reread);
  },
};

/**
 * A protobuf message starts with a field tag: pprof's Profile has message,
 * string and packed fields 1-6, 11 and 13 (wire type 2) and integer fields
 * 7-10, 12-15 (wire type 0). Go writes them in no fixed order.
 */
function startsLikePprof(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  const field = head[0] >> 3;
  const wireType = head[0] & 7;
  if (wireType === 2) return (field >= 1 && field <= 6) || field === 11 || field === 13;
  return wireType === 0 && field >= 7 && field <= 15 && field !== 11;
}
