import { readFileSync } from "node:fs";
import { create } from "xmlbuilder2";
import type { FlameLayout } from "../layout.js";
import type { StackTree } from "../model/stack-tree.js";
import { FRAME_GAP, fontFamilyList, paddings, type FlameGraphOptions } from "../drawing-options.js";
import { diffColour, hashSeed, paletteColour, randomSeed, rgbText } from "./colors.js";
import { fitLabel, formatValue, percent } from "./format.js";
import { displayable, withoutAnnotation, xmlEscape } from "./text.js";
import { functionsJson } from "./functions-data.js";
import { memoize } from "../memoize.js";
import { scaledBy, type Value } from "../model/value.js";
import { packageFile } from "../package-info.js";

/** An element being built (xmlbuilder2 does not export the type by name). */
type XMLBuilder = ReturnType<typeof create>;

/** The drawing options with what the renderer works out from the profile. */
export interface SvgOptions extends FlameGraphOptions {
  title: string;
  /** What the values count, for titles (`samples`, `ms`...). */
  countName: string;
  /** Unit of the values; durations and sizes are shown scaled. */
  unit: string;
  /** Differential colouring from channel 1 (before) to channel 0 (after); `negate` swaps red/blue. */
  diff?: { negate: boolean };
}

/** What rendering found out beyond the SVG itself. */
export interface SvgResult {
  /** Colours given to names that `paletteMap` lacked, in drawing order (for flamegraph.pl --cp's palette file). */
  newColours: Map<string, string>;
}

let templates: { script: string; style: string } | undefined;

function loadTemplates(): { script: string; style: string } {
  templates ??= {
    script: readFileSync(packageFile("dist/templates/viewer.js"), "utf8"),
    style: ["viewer.css", "views.css"].map((file) => readFileSync(packageFile(`templates/${file}`), "utf8")).join("\n"),
  };
  return templates;
}

const FRAMES_PLACEHOLDER = "torch-frames";

/**
 * The SVG for a laid-out tree, in chunks produced as they are asked for, so
 * that neither the document nor its frames are ever held whole. The document
 * around the frames is built with xmlbuilder2; the frames, the one part that
 * grows with the profile, are serialised directly from pre-escaped pieces
 * (xmlbuilder2 costs about 65 µs per frame, which dominated run time).
 */
export function* svgChunks(tree: StackTree, layout: FlameLayout, options: SvgOptions): Generator<string, SvgResult> {
  const values = printedValues(tree, layout, options);
  const [head, tail] = documentAround(tree, layout, values, options).split(`<!--${FRAMES_PLACEHOLDER}-->`);
  yield head;
  const result = yield* frameChunks(tree, layout, values, options);
  yield tail;
  return result;
}

/**
 * The frames' values as titles and `data-v` print them: the layout's totals,
 * or the tree's exact totals when doubles would drop digits (with the root
 * raised to --total as the layout raises it).
 */
function printedValues(tree: StackTree, layout: FlameLayout, options: SvgOptions): ArrayLike<Value> {
  if (!tree.hasExactValues) return layout.totals;
  const exact = Array.from(tree.exactTotals(0));
  if (options.total !== undefined && options.total > Number(exact[tree.root])) exact[tree.root] = options.total;
  return exact;
}

function documentAround(tree: StackTree, layout: FlameLayout, values: ArrayLike<Value>, options: SvgOptions): string {
  const { script, style } = loadTemplates();
  const { width, fontSize } = options;
  const height = layout.imageHeight;
  const doc = create({ version: "1.0", standalone: false });
  const svg = doc.ele("http://www.w3.org/2000/svg", "svg", {
    version: "1.1",
    width: String(width),
    height: String(height),
    viewBox: `0 0 ${width} ${height}`,
    "font-family": displayable(fontFamilyList(options.fontType)),
    "font-size": String(fontSize),
    "aria-label": displayable(options.title),
  });
  svg.ele("style").txt(style.replace(/\s*\n\s*/g, " ").trim());
  const gradient = svg.ele("defs").ele("linearGradient", { id: "background", y1: "0", y2: "1", x1: "0", x2: "0" });
  gradient.ele("stop", { "stop-color": options.background[0], offset: "5%" });
  gradient.ele("stop", { "stop-color": options.background[1], offset: "95%" });
  svg.ele("rect", { x: "0", y: "0", width: String(width), height: String(height), fill: "url(#background)" });
  svg.ele("text", { id: "title", x: String(width / 2), y: String(fontSize * 2), "font-size": String(fontSize + 5) }).txt(displayable(options.title));
  if (options.subtitle) svg.ele("text", { id: "subtitle", x: String(width / 2), y: String(fontSize * 4) }).txt(displayable(options.subtitle));
  const { padTop, padSide, padBottom, legend } = paddings(options, options.diff !== undefined);
  const bottomLine = String(height - legend - (padBottom - legend) / 2);
  svg.ele("text", { id: "details", x: String(padSide), y: bottomLine, "data-label": `${displayable(options.nameType)} ` }).txt(" ");
  svg.ele("text", { id: "unzoom", class: "control hide", x: String(padSide), y: String(fontSize * 2) }).txt("Reset Zoom");
  svg.ele("text", { id: "search", class: "control", x: String(width - padSide - 100), y: String(fontSize * 2) }).txt("Search");
  svg.ele("text", { id: "ignorecase", class: "control", x: String(width - padSide - 16), y: String(fontSize * 2) }).txt("ic");
  svg.ele("text", { id: "matched", x: String(width - padSide - 100), y: bottomLine }).txt(" ");
  if (options.diff) diffLegend(svg, options, { x: padSide, y: height - legend / 2 + fontSize / 3 });
  if (options.notes) svg.ele("desc", { id: "notes" }).txt(displayable(options.notes));
  svg
    .ele("g", {
      id: "frames",
      "data-total": String(values[tree.root]),
      "data-pad": String(padSide),
      "data-font-size": String(fontSize),
      "data-font-width": String(options.fontWidth),
      "data-frame-height": String(options.frameHeight),
      "data-pad-top": String(padTop),
      "data-pad-bottom": String(padBottom),
      "data-unit": displayable(options.unit),
      "data-count-name": displayable(options.countName),
      ...(options.factor !== 1 ? { "data-factor": String(options.factor) } : {}),
      ...(options.inverted ? { "data-inverted": "1" } : {}),
    })
    .com(FRAMES_PLACEHOLDER);
  svg.ele("metadata", { id: "functions" }).txt(functionsJson(tree, values));
  svg.ele("script").dat(script);
  return doc.end({ prettyPrint: false, wellFormed: true });
}

/**
 * What a differential graph's colours mean, in one line at the bottom:
 * swatches for grew, shrank and unchanged, and what the depth of a colour
 * says. Part of the static SVG, so that it reads without scripts too.
 */
function diffLegend(svg: XMLBuilder, options: SvgOptions, { x, y }: { x: number; y: number }): void {
  const { fontSize } = options;
  const swatch = fontSize - 2;
  const [grew, shrank] = options.diff?.negate ? [[0, 0, 255], [255, 0, 0]] : [[255, 0, 0], [0, 0, 255]];
  const entries: Array<[string, string]> = [
    [rgbText(grew as [number, number, number]), "grew"],
    [rgbText(shrank as [number, number, number]), "shrank"],
    ["rgb(255,255,255)", "unchanged"],
  ];
  const group = svg.ele("g", { id: "legend" });
  let left = x;
  for (const [fill, label] of entries) {
    group.ele("rect", { x: String(left), y: px(y - swatch + 1), width: String(swatch), height: String(swatch), fill, stroke: "#888", "stroke-width": "0.5" });
    group.ele("text", { x: String(left + swatch + 4), y: px(y) }).txt(label);
    left += swatch + 4 + (label.length + 2) * fontSize * options.fontWidth;
  }
  group.ele("text", { x: px(left), y: px(y) }).txt("deeper colour: larger change of the frame's own value, after vs before");
}

/** One decimal place: the precision that is visible, and no more bytes than needed. */
function px(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

/**
 * Frames are handed on in batches of about this many characters. A batch is
 * alive until it is written, and each scavenge of the young generation
 * copies what is alive: with 64 Ki batches, collections took 37 ms of the
 * 200k-stack graph's frames; with 16 Ki, 23 ms, and the frames 15-20 ms
 * less, for four times as many writes (250 for its 4 MB).
 */
const FRAMES_BATCH_CHARS = 16384;

function* frameChunks(tree: StackTree, layout: FlameLayout, after: ArrayLike<Value>, options: SvgOptions): Generator<string, SvgResult> {
  const { colourOf, newColours } = frameColouring(tree, layout, options);
  const rectHeight = px(options.frameHeight - FRAME_GAP);
  const textDy = options.frameHeight / 2 + 3 - 0.5;
  const scaleTotal = layout.scaleTotal;
  const countName = xmlEscape(options.countName);
  const diff = options.diff !== undefined;
  // A differential title also states the frame's total in the "before" profile.
  const before = diff ? tree.exactTotals(1) : undefined;
  const shownValue = (value: Value) => formatValue(scaledBy(value, options.factor), options.unit, countName);
  const shareOfTotal = (value: Value) => percent(value, scaleTotal);
  const escapedName = memoize(xmlEscape);
  let batch = "";
  for (let i = 0; i < layout.count; i++) {
    const node = layout.node[i];
    const value = after[node];
    const rawName = withoutAnnotation(tree.nameOfNode(node));
    let title = `${escapedName(rawName)} (${shownValue(value)}, ${node === tree.root ? "100" : shareOfTotal(value)}%`;
    if (diff && node !== tree.root) title += `; ${signedPercent(selfDelta(tree, node, options), scaleTotal)}`;
    if (before) title += `; before: ${shownValue(before[node])}`;
    title += ")";
    const x = layout.x[i];
    const width = layout.width[i];
    const label = fitLabel(rawName, width, options.fontSize, options.fontWidth);
    batch +=
      `<g data-x="${layout.start[i]}" data-v="${value}"><title>${title}</title>` +
      `<rect x="${px(x)}" y="${px(layout.y[i])}" width="${px(width)}" height="${rectHeight}" fill="${colourOf(i)}"/>` +
      (label ? `<text x="${px(x + 3)}" y="${px(layout.y[i] + textDy)}">${xmlEscape(label)}</text>` : "") +
      "</g>";
    if (batch.length > FRAMES_BATCH_CHARS) {
      yield batch;
      batch = "";
    }
  }
  yield batch;
  return { newColours };
}

/**
 * A frame's change between the two profiles, as flamegraph.pl measures it:
 * the change in its own (self) value, so that colour points at the frames
 * whose code changed rather than painting every ancestor of a change.
 * --negate reverses it (for graphs drawn from the "before" side).
 */
function selfDelta(tree: StackTree, node: number, options: SvgOptions): number {
  const delta = tree.self(node, 0) - tree.self(node, 1);
  return options.diff?.negate ? -delta : delta;
}

function signedPercent(delta: number, total: number): string {
  const p = percent(delta, total);
  return `${delta > 0 ? "+" : ""}${p}%`;
}

function frameColouring(tree: StackTree, layout: FlameLayout, options: SvgOptions): { colourOf: (frame: number) => string } & SvgResult {
  const newColours = new Map<string, string>();
  if (options.diff) {
    let maxDelta = 0;
    for (let i = 0; i < layout.count; i++) maxDelta = Math.max(maxDelta, Math.abs(selfDelta(tree, layout.node[i], options)));
    return { colourOf: (i) => rgbText(diffColour(selfDelta(tree, layout.node[i], options), maxDelta)), newColours };
  }
  // Keyed by name id; the root's id is -1, and flamegraph.pl colours it as the empty name.
  const colourOfName = memoize((nameId: number) => {
    const name = nameId === -1 ? "" : tree.names[nameId];
    let colour = options.paletteMap?.get(name);
    if (colour === undefined) {
      const seed = options.colourBy === "random" ? randomSeed(name) : hashSeed(name);
      colour = rgbText(paletteColour(options.palette, name, seed));
      if (options.paletteMap) newColours.set(name, colour);
    }
    return colour;
  });
  return { colourOf: (i) => colourOfName(tree.nameIdOf(layout.node[i])), newColours };
}
