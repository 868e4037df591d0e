/**
 * What the core viewer (viewer.ts) shares with the views built on top of it
 * (the functions table, the caller/callee view): the frames as read from the
 * document, a few drawing helpers, and hooks into search, keys and the URL
 * fragment. The views keep their own state; the core knows them only
 * through these hooks.
 */

export const SVG_NS = "http://www.w3.org/2000/svg";

/** How a frame shows: normally, dimmed as an ancestor of the zoomed frame, or not at all. */
export type Display = "shown" | "parent" | "hide";

/** What placing and showing a frame touches, in the full graph and in the views alike. */
export interface DrawnFrame {
  /**
   * What stands for the frame: it takes focus and carries the role, the
   * label and the state classes. In the full graph the <g> that holds its
   * <title>, <rect> and <text>; in a view, where thousands of frames are made
   * at once and each element costs, the <rect> itself.
   */
  element: SVGElement;
  rect: SVGRectElement;
  /** The label, right after the rect; frames too narrow for one when written get it once they are wide enough. */
  text: SVGTextElement | null;
  name: string;
  /** Top of the frame's row (px). */
  y: number;
  display: Display;
  /** x and width as last written, to touch only frames that move. */
  placement: string;
}

/** A frame of the full graph, in depth-first pre-order. */
export interface ViewerFrame {
  /** The frame's <g>. */
  element: SVGElement;
  rect: SVGRectElement;
  name: string;
  /** Start and value in value units (data-x, data-v). */
  start: number;
  value: number;
  /** Index of the parent frame, -1 for the root. */
  parent: number;
  /** One past the index of the last descendant. */
  end: number;
}

export interface Viewer {
  doc: Document;
  svg: SVGSVGElement;
  framesGroup: SVGGElement;
  frames: readonly ViewerFrame[];
  geometry: {
    pad: number;
    /** Where the frame rows start and how much room is kept below them. */
    padTop: number;
    padBottom: number;
    fontSize: number;
    frameHeight: number;
    svgWidth: number;
    usableWidth: number;
  };
  /** A value in the profile's unit, as the frames' titles show it. */
  formatValue(value: number): string;
  /** A value as a share of the whole graph. */
  formatPercent(value: number): string;
  /** flamegraph.pl's label fitting for a width in px. */
  fitLabel(name: string, width: number): string;
  /** Moves a frame and fits its label, writing only what changed. */
  place(frame: DrawnFrame, x: number, width: number): void;
  svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K];
  /** Makes an element a keyboard- and mouse-operated button. */
  makeControl(element: SVGElement, action: () => void): void;
  /** Runs a search as the Search button does ("" clears it). */
  search(term: string): void;
  /** The current search as a pattern, or undefined when there is none. */
  searchPattern(): RegExp | undefined;
  /** Called after every search, with its pattern (undefined when cleared). */
  onSearch(listener: (pattern: RegExp | undefined) => void): void;
  /** Shows text on the details line, or clears it. */
  showDetails(text: string | undefined): void;
  /** Index of the frame an event targets in the full graph, or -1. */
  frameIndexOf(target: EventTarget | null): number;
  /**
   * Handlers asked first about every key the viewer sees (not typed into an
   * input); one that returns true has handled it.
   */
  onKey(handler: (event: KeyboardEvent) => boolean): void;
  /** A URL fragment parameter owned by a view: read when the fragment is restored, written on every save. */
  stateParam(name: string, read: () => string | undefined, restore: (value: string | null) => void): void;
  saveState(): void;
  /** Takes the full graph out of the picture while a view is drawn in its place (false), or puts it back (true). */
  showGraph(shown: boolean): void;
  /** Grows the picture to at least this height while a view needs it; undefined restores it. */
  fitHeight(height: number | undefined): void;
}

/** Shows a frame normally, dimmed or not at all, through its class (so that "match" stays). */
export function setDisplay(frame: DrawnFrame, display: Display): void {
  if (frame.display === display) return;
  if (frame.display !== "shown") frame.element.classList.remove(frame.display);
  if (display !== "shown") frame.element.classList.add(display);
  frame.display = display;
}

/** Escapes a string for use as a literal in a regular expression. */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
