import { functionIndex } from "../model/functions.js";
import type { Profile } from "../model/profile.js";
import { shownName } from "../svg/text.js";

/** The units speedscope's file format knows; any other value is a plain count ("none"). */
const SPEEDSCOPE_UNITS = new Set(["nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"]);
const SCHEMA = "https://www.speedscope.app/file-format-schema.json";
/** Samples per chunk: a large profile never becomes one string. */
const SAMPLES_PER_WRITE = 10000;

/**
 * Writes a profile in speedscope's file format
 * (https://www.speedscope.app/file-format-schema.json): one "sampled" profile
 * whose samples are the distinct stacks (root first, as indexes into the
 * shared frames, one frame per function name) weighted by their value, in
 * the order the profile first saw them (time order for --flamechart). A
 * differential profile is written as its "after" side, the side it draws.
 * The JSON comes in pieces; every string goes through JSON.stringify.
 */
export function* speedscopeChunks(profile: Profile, name: string): Generator<string> {
  const { tree } = profile;
  const { functions, functionOfName: frameOfName } = functionIndex(tree, shownName);
  const frames = functions.map((frameName) => ({ name: frameName }));
  const samples: number[] = [];
  for (const node of tree.leaves()) if (node !== tree.root && tree.self(node) !== 0) samples.push(node);
  const total = tree.totals()[tree.root] - tree.self(tree.root);
  const head = {
    $schema: SCHEMA,
    exporter: "torch",
    name,
    activeProfileIndex: 0,
    shared: { frames },
  };
  const profileHead = {
    type: "sampled",
    name,
    unit: SPEEDSCOPE_UNITS.has(profile.unit) ? profile.unit : "none",
    startValue: 0,
    endValue: total,
  };
  // Both objects are written without their closing brace, to append the large arrays.
  yield `${JSON.stringify(head).slice(0, -1)},"profiles":[${JSON.stringify(profileHead).slice(0, -1)},"samples":[`;
  const stackOf = (node: number) => {
    const stack: number[] = [];
    for (let n = node; n !== tree.root; n = tree.parent(n)) stack.push(frameOfName[tree.nameIdOf(n)]);
    return stack.reverse();
  };
  yield* inBatches(samples, (node) => JSON.stringify(stackOf(node)));
  yield `],"weights":[`;
  yield* inBatches(samples, (node) => String(tree.exactSelf(node)));
  yield "]}]}\n";
}

function* inBatches(items: number[], text: (item: number) => string): Generator<string> {
  for (let i = 0; i < items.length; i += SAMPLES_PER_WRITE) {
    yield (i === 0 ? "" : ",") + items.slice(i, i + SAMPLES_PER_WRITE).map(text).join(",");
  }
}
