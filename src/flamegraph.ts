import { layoutFlameGraph } from "./layout.js";
import type { Profile } from "./model/profile.js";
import { paddings, svgChunks, type SvgOptions, type SvgStyle } from "./svg/render.js";

/** Everything that decides how a profile is drawn; CLI flags map onto this one to one. */
export interface FlameGraphOptions extends SvgStyle {
  /** Default: Flame Graph, Icicle Graph, Flame Chart or Differential Flame Graph. */
  title?: string;
  /** px, or a percentage of the total when `minWidthIsPercent`. */
  minWidth: number;
  minWidthIsPercent?: boolean;
  /** Default: from the profile's unit and sample type. */
  countName?: string;
  flameChart: boolean;
  total?: number;
  negate: boolean;
}

export const DEFAULT_OPTIONS: FlameGraphOptions = {
  width: 1200,
  frameHeight: 16,
  minWidth: 0.1,
  fontType: "Verdana",
  fontSize: 12,
  fontWidth: 0.59,
  nameType: "Function:",
  palette: "hot",
  colourBy: "hash",
  background: ["#eeeeee", "#eeeeb0"],
  inverted: false,
  flameChart: false,
  factor: 1,
  negate: false,
};

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

/** Lays out and renders a profile as SVG, written in chunks through `write`. */
export function renderFlameGraph(profile: Profile, options: FlameGraphOptions, write: (chunk: string) => void): void {
  for (const chunk of flameGraphChunks(profile, options)) write(chunk);
}

/** Lays out a profile and yields its SVG chunk by chunk, as the consumer asks for them. */
export function* flameGraphChunks(profile: Profile, options: FlameGraphOptions): Generator<string> {
  const diff = profile.tree.channels === 2;
  const pads = paddings(options.fontSize, Boolean(options.subtitle));
  const layout = layoutFlameGraph(profile.tree, {
    width: options.width,
    frameHeight: options.frameHeight,
    minWidth: options.minWidth,
    minWidthIsPercent: options.minWidthIsPercent,
    inverted: options.inverted,
    total: options.total,
    timeOrder: options.flameChart,
    ...pads,
  });
  const svgOptions: SvgOptions = {
    ...options,
    ...pads,
    title: options.title ?? defaultTitle(options, diff),
    ...valueFormat(profile, options),
    diff: diff ? { negate: options.negate } : undefined,
  };
  yield* svgChunks(profile.tree, layout, svgOptions);
}
