import { layoutFlameGraph } from "./layout.js";
import type { Profile } from "./model/profile.js";
import { svgChunks, type SvgOptions, type SvgResult } from "./svg/render.js";
import { DEFAULT_OPTIONS, valueFormat, type FlameGraphOptions } from "./drawing-options.js";

export type RenderResult = SvgResult;

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
