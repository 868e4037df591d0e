/**
 * How a flame graph is drawn: every drawing option with its default, the
 * background presets and the space kept around the frames. The command line,
 * the layout and the SVG renderer all read them from here.
 */
import type { Profile } from "./model/profile.js";
import type { Palette } from "./svg/colors.js";

/** Everything that decides how a profile is drawn; the drawing flags map onto it one to one. */
export interface FlameGraphOptions {
  /** Default: Flame Graph, Icicle Graph, Flame Chart or Differential Flame Graph. */
  title?: string;
  subtitle?: string;
  /** Image width in px. */
  width: number;
  /** Height of one frame row in px, including the gap between rows. */
  frameHeight: number;
  /** Frames narrower than this many px are omitted, or this share of the total when `minWidthIsPercent`. */
  minWidth: number;
  minWidthIsPercent?: boolean;
  fontType: string;
  fontSize: number;
  /** Average glyph width as a share of the font size, for fitting labels. */
  fontWidth: number;
  /** What values count, in titles; default: from the profile's unit and sample type. */
  countName?: string;
  /** Label before the details line (flamegraph.pl --nametype). */
  nameType: string;
  palette: Palette;
  /** "hash": colour by name hash (flamegraph.pl --hash); "random": seeded per name, still deterministic. */
  colourBy: "hash" | "random";
  /** Fixed colours by name (flamegraph.pl --cp palette file); names it lacks are coloured by `palette`. */
  paletteMap?: ReadonlyMap<string, string>;
  /** Background gradient stops, top and bottom. */
  background: readonly [string, string];
  /** Icicle graph: root at the top. */
  inverted: boolean;
  /** Keep input (time) order: siblings are neither sorted nor merged unless adjacent. */
  flameChart: boolean;
  /** Multiply values by this in titles (flamegraph.pl --factor). */
  factor: number;
  /** Scale as if the total were this, when larger than the real total (flamegraph.pl --total). */
  total?: number;
  /** Text stored in the SVG as a <desc> note. */
  notes?: string;
  /** Differential graphs: swap red and blue. */
  negate: boolean;
}

/** flamegraph.pl's --bgcolors presets: gradient stops, top and bottom. */
export const BACKGROUNDS = {
  yellow: ["#eeeeee", "#eeeeb0"],
  blue: ["#eeeeee", "#e0e0ff"],
  green: ["#eef2ee", "#e0ffe0"],
  grey: ["#f8f8f8", "#e8e8e8"],
} as const satisfies Record<string, readonly [string, string]>;

/** flamegraph.pl's defaults. */
export const DEFAULT_OPTIONS: Readonly<FlameGraphOptions> = {
  width: 1200,
  frameHeight: 16,
  minWidth: 0.1,
  fontType: "Verdana",
  fontSize: 12,
  fontWidth: 0.59,
  nameType: "Function:",
  palette: "hot",
  colourBy: "hash",
  background: BACKGROUNDS.yellow,
  inverted: false,
  flameChart: false,
  factor: 1,
  negate: false,
};

/** Gap between frame rows, in px: a frame's rectangle is `frameHeight - FRAME_GAP` high. */
export const FRAME_GAP = 1;

/** Free space around the frames: above (title, subtitle), below (details line, legend) and on either side. */
export interface Paddings {
  padTop: number;
  padBottom: number;
  padSide: number;
  /** The part of padBottom that holds a differential graph's colour legend, at the very bottom (0 without). */
  legend: number;
}

/**
 * The space flamegraph.pl reserves around the frames for a font size, and a
 * subtitle if there is one; a differential graph adds a line for its legend.
 */
export function paddings(options: Pick<FlameGraphOptions, "fontSize" | "subtitle">, differential = false): Paddings {
  const { fontSize } = options;
  const legend = differential ? fontSize + 8 : 0;
  return { padTop: fontSize * 3 + (options.subtitle ? fontSize * 2 : 0), padBottom: fontSize * 2 + 10 + legend, padSide: 10, legend };
}

/**
 * Fallbacks for the font list, so that a system without the chosen font
 * draws sans-serif text rather than its default serif. Label fitting assumes
 * Verdana's metrics (--fontwidth), so the named fallbacks are the common
 * sans-serif fonts no wider than Verdana (Tahoma, and Arial with its metric
 * clones); labels drawn in them still fit their frames.
 */
const FONT_FALLBACKS = ["Tahoma", "Arial", "Helvetica", "Liberation Sans", "Arimo", "Nimbus Sans", "sans-serif"];
const GENERIC_FAMILIES = /(^|,)\s*(serif|sans-serif|monospace|cursive|fantasy|system-ui|ui-\w+)\s*(,|$)/i;

/** The SVG font-family list for --fonttype: the fallbacks appended unless it ends in a generic family of its own. */
export function fontFamilyList(fontType: string): string {
  if (GENERIC_FAMILIES.test(fontType)) return fontType;
  const named = fontType.split(",").map((family) => family.trim().toLowerCase());
  return [fontType, ...FONT_FALLBACKS.filter((family) => !named.includes(family.toLowerCase()))].join(", ");
}

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
