/**
 * torch as a library: read a profile (file, bytes or stream, format detected
 * from the content), then render it as a self-contained interactive SVG
 * flame graph or write its collapsed stacks. The `torch` command is built on
 * these same functions.
 */
import { readProfile as readSource, type ReadOptions } from "./input/read-profile.js";
import { pathSource, type InputSource } from "./input/source.js";
import type { Profile } from "./model/profile.js";
import { foldedText } from "./output/folded.js";

/**
 * What a profile can be read from: a file path, the bytes of a file
 * (gzipped or not), a stream such as a Node Readable or a `fetch` body, or
 * a named source that can produce its bytes.
 */
export type ProfileInput = string | Uint8Array | AsyncIterable<Uint8Array | string> | InputSource;

export interface ReadProfileOptions extends ReadOptions {
  /** How errors name the input; default: the path, `<bytes>` or `<stream>`. */
  name?: string;
}

/** A profile as read: its stacks, what the values mean, and the format it was read as. */
export type ReadProfile = Profile & { format: string };

/**
 * Reads one profile in any format torch knows, detected from its content
 * (`options.format` overrides). Bad input rejects with an InputError naming
 * the input; skipped lines are listed in `warnings`.
 */
export async function readProfile(input: ProfileInput, options: ReadProfileOptions = {}): Promise<ReadProfile> {
  return readSource(await sourceOf(input, options.name), options);
}

async function sourceOf(input: ProfileInput, name: string | undefined): Promise<InputSource> {
  if (typeof input === "string") {
    const file = await pathSource(input);
    return name === undefined ? file : { ...file, name };
  }
  if (input instanceof Uint8Array) {
    return {
      name: name ?? "<bytes>",
      async *chunks() {
        yield input;
      },
    };
  }
  if ("chunks" in input && typeof input.chunks === "function") return input;
  const stream = input as AsyncIterable<Uint8Array | string>;
  return {
    name: name ?? "<stream>",
    async *chunks() {
      for await (const chunk of stream) yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    },
  };
}

/** The collapsed stacks (`a;b;c 42` lines, sorted), as `torch --folded` prints them. */
export function toFolded(profile: Pick<Profile, "tree">): string {
  return foldedText(profile.tree);
}

export { flameGraphChunks, renderFlameGraph, type RenderResult } from "./flamegraph.js";
export { BACKGROUNDS, DEFAULT_OPTIONS, FRAME_GAP, paddings, type FlameGraphOptions, type Paddings } from "./drawing-options.js";
export { layoutFlameGraph, type FlameLayout, type LayoutOptions } from "./layout.js";
export { PALETTES, type Palette } from "./svg/colors.js";
export { FORMATS } from "./input/formats.js";
export type { ReadOptions } from "./input/read-profile.js";
export type { InputSource } from "./input/source.js";
export type { PerfOptions } from "./input/perf.js";
export { InputError, type Profile, type ProfileMeta } from "./model/profile.js";
export { StackTree, type MergeMode } from "./model/stack-tree.js";
export { mergeTrees, reverseStacks } from "./model/transforms.js";
export { diffProfiles, type DiffOptions, type DiffSide } from "./model/diff.js";
export { filterStacks, shortFunctionName, type FilterResult, type StackFilters } from "./model/filters.js";
