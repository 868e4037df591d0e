import { layoutFlameGraph } from "./layout.js";
import type { Profile } from "./model/profile.js";
import { svgChunks, type SvgOptions, type SvgResult } from "./svg/render.js";
import { DEFAULT_OPTIONS, type FlameGraphOptions } from "./drawing-options.js";

export type RenderResult = SvgResult;

/** What a plain count counts, by pprof sample type; durations and sizes get their own units. */
const COUNT_NAMES: Record<string, string> = {
  alloc_objects: "objects",
  inuse_objects: "objects",
  contentions: "contentions",
  goroutine: "goroutines",
  threadcreate: "threads",
};

function defaultCountName(profile: Profile): string {
  return COUNT_NAMES[profile.sampleType] ?? (profile.unit === "count" || profile.unit === "" ? "samples" : profile.unit);
}

/** How values read in every view: the profile's unit, or plain counts named by --countname. */
export function valueFormat(profile: Profile, options: Pick<FlameGraphOptions, "countName">): { unit: string; countName: string } {
  return { unit: options.countName ? "" : profile.unit, countName: options.countName ?? defaultCountName(profile) };
}

function defaultTitle(options: FlameGraphOptions, diff: boolean): string {
  if (diff) return "Differential Flame Graph";
  if (options.flameChart) return "Flame Chart";
  return options.inverted ? "Icicle Graph" : "Flame Graph";
}

/** Lays out and renders a profile as one self-contained SVG string; options not given take their DEFAULT_OPTIONS value. */
export function renderFlameGraph(profile: Profile, options: Partial<FlameGraphOptions> = {}): string {
  let svg = "";
  for (const chunk of flameGraphChunks(profile, options)) svg += chunk;
  return svg;
}

/**
 * Lays out a profile and yields its SVG chunk by chunk, as the consumer asks
 * for them (`Readable.from(...)` makes it a stream that follows back-pressure);
 * returns what rendering found out.
 */
export function* flameGraphChunks(profile: Profile, options: Partial<FlameGraphOptions> = {}): Generator<string, RenderResult> {
  const drawing: FlameGraphOptions = { ...DEFAULT_OPTIONS, ...withoutUndefined(options) };
  const diff = profile.tree.channels === 2;
  const layout = layoutFlameGraph(profile.tree, drawing);
  const svgOptions: SvgOptions = {
    ...drawing,
    title: drawing.title ?? defaultTitle(drawing, diff),
    ...valueFormat(profile, drawing),
    diff: diff ? { negate: drawing.negate } : undefined,
  };
  return yield* svgChunks(profile.tree, layout, svgOptions);
}

/** Options given as undefined keep their default, as if they were not given. */
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
