/*
 * torch flame graph viewer: zoom, search, details, keyboard navigation and a
 * linkable view state for the SVG it is embedded in. Everything it needs is
 * read from the document: each frame is a <g data-x="start" data-v="value">
 * holding <title>, <rect> and <text>, in depth-first order, so a frame's
 * descendants are the frames that follow it with a greater depth. Names are
 * only ever read from and written to text nodes, never parsed as markup.
 * Whatever only the script needs (roles, labels, tab stops, the results
 * panel) is added here at load time, so the static SVG stays small and still
 * reads without scripts (in <img>, or with scripts disabled).
 */
import { formatValue } from "../src/svg/format.js";
import { callerCalleeView } from "./caller-callee-view.js";
import { heightFitter } from "./fit-height.js";
import { functionsTable } from "./functions-table.js";
import { setDisplay, type DrawnFrame, type Viewer } from "./viewer-api.js";

(function torchViewer() {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const RESULTS_SHOWN = 10;
  const doc = document;
  const framesGroup = doc.getElementById("frames") as unknown as SVGGElement | null;
  if (!framesGroup?.ownerSVGElement) return;
  const svg = framesGroup.ownerSVGElement;
  // An SVG inlined in an HTML page must leave the page's URL and keys alone.
  const standalone = (doc.documentElement as Element) === svg;
  const byId = (id: string) => doc.getElementById(id) as unknown as SVGTextElement | null;
  const details = byId("details");
  const unzoomButton = byId("unzoom");
  const searchButton = byId("search");
  const caseButton = byId("ignorecase");
  const matchedText = byId("matched");

  const config = framesGroup.dataset;
  const pad = Number(config.pad);
  const fontSize = Number(config.fontSize);
  const fontWidth = Number(config.fontWidth);
  const frameHeight = Number(config.frameHeight);
  const inverted = config.inverted === "1";
  const svgWidth = Number(svg.getAttribute("width"));
  const svgHeight = Number(svg.getAttribute("height"));
  const backgroundRect = svg.querySelector(":scope > rect");
  const usableWidth = svgWidth - 2 * pad;
  const valueFactor = Number(config.factor ?? 1);
  const detailsLabel = details?.dataset.label ?? "";

  interface Frame extends DrawnFrame {
    title: string;
    start: number;
    value: number;
    /** Index of the parent frame, -1 for the root. */
    parent: number;
    /** One past the index of the last descendant. */
    end: number;
  }

  // ---- reading the frames ----
  const frames: Frame[] = [];
  const indexOf = new Map<Element, number>();
  for (const child of Array.from(framesGroup.children)) {
    const g = child as SVGGElement;
    const rect = g.querySelector("rect");
    const titleElement = g.querySelector("title");
    if (!rect || !titleElement) continue;
    const title = titleElement.textContent ?? "";
    const cut = title.lastIndexOf(" (");
    const name = cut >= 0 ? title.slice(0, cut) : title;
    const placement = placementOf(Number(rect.getAttribute("x")), Number(rect.getAttribute("width")));
    indexOf.set(g, frames.length);
    const y = Number(rect.getAttribute("y"));
    frames.push({ element: g, rect, text: g.querySelector("text"), name, title, y, start: Number(g.dataset.x), value: Number(g.dataset.v), parent: -1, end: 0, display: "shown", placement });
    g.setAttribute("role", "button");
    // "name, 1,234 samples, 5.00%": the title's parenthesis read as a list.
    g.setAttribute("aria-label", cut >= 0 && title.endsWith(")") ? `${name}, ${title.slice(cut + 2, -1)}` : title);
  }
  if (frames.length === 0) return;
  const totalValue = frames[0].value;
  const rootY = frames[0].y;
  const ancestors: number[] = []; // ancestors[d] is the open frame at depth d
  frames.forEach((frame, i) => {
    const depth = Math.round(Math.abs(frame.y - rootY) / frameHeight);
    while (ancestors.length > depth) frames[ancestors.pop()!].end = i;
    frame.parent = ancestors.length > 0 ? ancestors[ancestors.length - 1] : -1;
    ancestors.push(i);
  });
  for (const i of ancestors) frames[i].end = frames.length;

  function fitLabel(name: string, width: number): string {
    const chars = Math.floor(width / (fontSize * fontWidth));
    if (chars < 3) return "";
    return name.length <= chars ? name : name.slice(0, chars - 2) + "..";
  }

  function formatPercent(value: number): string {
    return `${((100 * value) / totalValue).toFixed(2)}%`;
  }

  function placementOf(x: number, width: number): string {
    return `${x.toFixed(1)} ${width.toFixed(1)}`;
  }

  function place(frame: DrawnFrame, x: number, width: number): void {
    const placement = placementOf(x, width);
    if (placement === frame.placement) return;
    frame.placement = placement;
    frame.rect.setAttribute("x", x.toFixed(1));
    frame.rect.setAttribute("width", width.toFixed(1));
    const label = fitLabel(frame.name, width);
    if (!frame.text && label === "") return;
    if (!frame.text) {
      // Placed as render.ts places labels: 3 px in, vertically centred in the row.
      frame.text = svgElement("text", { y: (frame.y + frameHeight / 2 + 2.5).toFixed(1) });
      frame.rect.after(frame.text);
    }
    frame.text.setAttribute("x", (x + 3).toFixed(1));
    frame.text.textContent = label;
  }

  /** Grows the image by `extra` px at the bottom, background included (0: back to its own size). */
  function growImage(extra: number): void {
    const height = svgHeight + extra;
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${svgWidth} ${height}`);
    backgroundRect?.setAttribute("height", String(height));
  }

  function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
    const element = doc.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  // ---- zoom ----
  let zoomed = -1;

  function zoom(i: number): void {
    if (i === 0) return unzoom();
    const target = frames[i];
    const scale = usableWidth / target.value;
    frames.forEach((frame, j) => {
      if (j >= i && j < target.end) {
        setDisplay(frame, "shown");
        place(frame, pad + (frame.start - target.start) * scale, frame.value * scale);
      } else if (j < i && frame.end > i) {
        // In depth-first order, the frames before i whose subtree holds i are its ancestors.
        setDisplay(frame, "parent");
        place(frame, pad, usableWidth);
      } else {
        setDisplay(frame, "hide");
      }
    });
    zoomed = i;
    moveTabStop(i);
    unzoomButton?.classList.remove("hide");
    refreshSearch();
    saveState();
  }

  function unzoom(): void {
    if (zoomed < 0) return;
    const scale = usableWidth / totalValue;
    for (const frame of frames) {
      setDisplay(frame, "shown");
      place(frame, pad + frame.start * scale, frame.value * scale);
    }
    zoomed = -1;
    unzoomButton?.classList.add("hide");
    refreshSearch();
    saveState();
  }

  // ---- search ----
  let searchTerm = "";
  let ignoreCase = false;
  let currentPattern: RegExp | undefined;
  const searchListeners: ((pattern: RegExp | undefined) => void)[] = [];
  const results = createResultsPanel();

  function search(term: string): void {
    let pattern: RegExp;
    try {
      pattern = new RegExp(term, ignoreCase ? "i" : "");
    } catch {
      setMatchedLine("Invalid regular expression");
      return;
    }
    const newSearch = term !== searchTerm;
    searchTerm = term;
    // A match nested in another match is counted once: in the whole total,
    // and in its name's sum when the enclosing match has the same name.
    let matchedValue = 0;
    let coveredUntil = -1;
    const byName = new Map<string, { value: number; coveredUntil: number }>();
    frames.forEach((frame, i) => {
      const hit = term !== "" && pattern.test(frame.name);
      frame.element.classList.toggle("match", hit);
      if (!hit) return;
      if (i >= coveredUntil) {
        matchedValue += frame.value;
        coveredUntil = frame.end;
      }
      const sum = byName.get(frame.name);
      if (!sum) byName.set(frame.name, { value: frame.value, coveredUntil: frame.end });
      else if (i >= sum.coveredUntil) {
        sum.value += frame.value;
        sum.coveredUntil = frame.end;
      }
    });
    if (searchButton) searchButton.textContent = term === "" ? "Search" : "Reset Search";
    setMatchedLine(term === "" ? " " : `Matched: ${formatPercent(matchedValue)}`);
    results.show(Array.from(byName, ([name, sum]) => ({ name, value: sum.value })), newSearch);
    currentPattern = term === "" ? undefined : pattern;
    for (const listener of searchListeners) listener(currentPattern);
    saveState();
  }

  function refreshSearch(): void {
    if (searchTerm !== "") search(searchTerm);
  }

  function askSearch(): void {
    const term = window.prompt("Enter a search term (regexp allowed, eg: ^ext4_)" + (ignoreCase ? ", ignoring case" : ""), searchTerm);
    if (term !== null) search(term);
  }

  /** The "Matched" line doubles as the results panel's toggle: a tab stop only while it shows something. */
  function setMatchedLine(text: string): void {
    if (!matchedText) return;
    matchedText.textContent = text;
    if (text.trim() === "") matchedText.removeAttribute("tabindex");
    else matchedText.setAttribute("tabindex", "0");
  }

  function setIgnoreCase(on: boolean): void {
    ignoreCase = on;
    caseButton?.classList.toggle("on", on);
    caseButton?.setAttribute("aria-pressed", String(on));
  }

  /**
   * The names that matched the last search with their summed values, widest
   * first, in a panel below the graph: the image grows by the panel's height
   * while it shows, so that it covers no frame. Clicking the panel or the
   * "Matched" line hides or shows it; that choice holds while the same
   * search is refreshed (zoom, ic).
   */
  function createResultsPanel() {
    const width = Math.min(usableWidth, 400);
    const lineHeight = fontSize + 4;
    const x = svgWidth - pad - width;
    const top = svgHeight;
    const panel = svgElement("g", { id: "results", class: "hide" });
    const background = svgElement("rect", { x, y: top, width, rx: 3 });
    panel.appendChild(background);
    svg.appendChild(panel);
    let open = true;
    let panelHeight = 0;

    function place(): void {
      const shown = open && panelHeight > 0;
      panel.classList.toggle("hide", !shown);
      growImage(shown ? panelHeight + pad : 0);
    }

    function show(matches: { name: string; value: number }[], newSearch: boolean): void {
      if (newSearch) open = true;
      while (panel.lastChild !== background) panel.removeChild(panel.lastChild!);
      matches.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1));
      const shown = matches.slice(0, RESULTS_SHOWN);
      panelHeight = matches.length === 0 ? 0 : (shown.length + 1) * lineHeight + 6;
      background.setAttribute("height", String(panelHeight));
      const lines = matches.length === 0 ? [] : [`Top matches (${matches.length} names)`, ...shown.map((match) => `${formatPercent(match.value)} ${match.name}`)];
      lines.forEach((line, n) => {
        const text = svgElement("text", { x: x + 6, y: top + (n + 1) * lineHeight, class: n === 0 ? "heading" : "match-line" });
        text.textContent = fitLabel(line, width - 12);
        panel.appendChild(text);
      });
      place();
    }

    function toggle(): void {
      if (panelHeight === 0) return;
      open = !open;
      place();
    }

    panel.addEventListener("click", toggle);
    return { show, toggle };
  }

  // ---- view state in the URL fragment: #zoom=<frame index>&search=<regexp>&ic=1, plus the views' own ----
  const viewParams = new Map<string, { read: () => string | undefined; restore: (value: string | null) => void }>();
  function saveState(): void {
    if (!standalone) return;
    const params = new URLSearchParams();
    if (zoomed > 0) params.set("zoom", String(zoomed));
    if (searchTerm !== "") params.set("search", searchTerm);
    if (ignoreCase) params.set("ic", "1");
    for (const [name, param] of viewParams) {
      const value = param.read();
      if (value !== undefined) params.set(name, value);
    }
    const hash = params.toString();
    try {
      history.replaceState(history.state, "", hash === "" ? location.href.split("#")[0] : `#${hash}`);
    } catch {
      // Some documents may not rewrite their URL (sandboxes, data: URLs); the view works without it.
    }
  }

  function restoreState(): void {
    const params = new URLSearchParams(location.hash.slice(1));
    setIgnoreCase(params.get("ic") === "1");
    const frame = Number(params.get("zoom"));
    if (Number.isInteger(frame) && frame > 0 && frame < frames.length) zoom(frame);
    else unzoom();
    search(params.get("search") ?? "");
    for (const [name, param] of viewParams) param.restore(params.get(name));
  }

  // ---- keyboard: one tab stop in the graph, arrows move along the tree ----
  let tabStop = 0;
  frames[0].element.setAttribute("tabindex", "0");

  function moveTabStop(i: number): void {
    if (i === tabStop) return;
    frames[tabStop].element.removeAttribute("tabindex");
    frames[i].element.setAttribute("tabindex", "0");
    tabStop = i;
  }

  const isShown = (i: number) => frames[i].display !== "hide";

  function firstShownChild(i: number): number {
    for (let child = i + 1; child < frames[i].end; child = frames[child].end) if (isShown(child)) return child;
    return -1;
  }

  function nextShownSibling(i: number): number {
    const parent = frames[i].parent;
    if (parent < 0) return -1;
    for (let sibling = frames[i].end; sibling < frames[parent].end; sibling = frames[sibling].end) if (isShown(sibling)) return sibling;
    return -1;
  }

  function previousShownSibling(i: number): number {
    let found = -1;
    for (let sibling = frames[i].parent + 1; sibling < i; sibling = frames[sibling].end) if (isShown(sibling)) found = sibling;
    return found;
  }

  /** The frame an arrow key leads to from frame i, or -1. */
  function frameTowards(i: number, key: string): number {
    switch (key) {
      case inverted ? "ArrowDown" : "ArrowUp":
        return firstShownChild(i);
      case inverted ? "ArrowUp" : "ArrowDown":
        return frames[i].parent;
      case "ArrowLeft":
        return previousShownSibling(i);
      case "ArrowRight":
        return nextShownSibling(i);
      default:
        return -1;
    }
  }

  function onFrameKey(i: number, event: KeyboardEvent): void {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      zoom(i);
      return;
    }
    const next = frameTowards(i, event.key);
    if (next < 0) return;
    event.preventDefault();
    moveTabStop(next);
    frames[next].element.focus();
  }

  // ---- events ----
  function frameIndexOf(target: EventTarget | null): number {
    const g = (target as Element | null)?.closest?.("#frames > g");
    const index = g ? indexOf.get(g) : undefined;
    return index === undefined ? -1 : index;
  }

  function showDetails(target: EventTarget | null): void {
    const i = frameIndexOf(target);
    if (i >= 0 && details) details.textContent = detailsLabel + frames[i].title;
  }

  function clearDetails(): void {
    if (details) details.textContent = " ";
  }

  framesGroup.addEventListener("click", (event) => {
    const i = frameIndexOf(event.target);
    if (i >= 0) zoom(i);
  });
  framesGroup.addEventListener("mouseover", (event) => showDetails(event.target));
  framesGroup.addEventListener("mouseout", clearDetails);
  framesGroup.addEventListener("focusin", (event) => showDetails(event.target));
  framesGroup.addEventListener("focusout", clearDetails);

  const keyHandlers: ((event: KeyboardEvent) => boolean)[] = [];
  const controlActions = new Map<Element, () => void>();
  function makeControl(element: SVGElement | null, action: () => void): void {
    if (!element) return;
    element.classList.add("control");
    element.setAttribute("role", "button");
    element.setAttribute("tabindex", "0");
    element.addEventListener("click", action);
    controlActions.set(element, action);
  }
  makeControl(unzoomButton, unzoom);
  makeControl(searchButton, () => (searchTerm === "" ? askSearch() : search("")));
  makeControl(caseButton, () => {
    setIgnoreCase(!ignoreCase);
    refreshSearch();
    saveState();
  });
  makeControl(matchedText, results.toggle);
  setMatchedLine(" ");
  setIgnoreCase(false);

  (standalone ? window : svg).addEventListener("keydown", (event) => {
    const key = event as KeyboardEvent;
    if (key.altKey) return;
    const command = key.ctrlKey || key.metaKey;
    if ((command && key.key.toLowerCase() === "f") || (!command && key.key === "/")) {
      key.preventDefault();
      askSearch();
      return;
    }
    if (command) return;
    if (keyHandlers.some((handler) => handler(key))) return;
    if (key.key === "Escape") {
      if (searchTerm !== "") search("");
      else unzoom();
      return;
    }
    const action = controlActions.get(key.target as Element);
    if (action && (key.key === "Enter" || key.key === " ")) {
      key.preventDefault();
      action();
      return;
    }
    const i = frameIndexOf(key.target);
    if (i >= 0) onFrameKey(i, key);
  });

  /**
   * Hides the full graph while a view takes its place: scaled to nothing, out of reach of assistive technology and
   * out of the tab order (the group itself is a tab stop in Chromium, for its focus listeners). Not display: none,
   * with which the browser tears down the layout of every frame and builds it again on the way back, 40-90 ms each
   * way on 10,000 frames; a transform leaves their layout as it is.
   */
  const showGraph = (shown: boolean): void => {
    if (shown) {
      for (const name of ["transform", "aria-hidden", "tabindex"]) framesGroup.removeAttribute(name);
      frames[tabStop].element.setAttribute("tabindex", "0");
    } else {
      framesGroup.setAttribute("transform", "scale(0)");
      framesGroup.setAttribute("aria-hidden", "true");
      framesGroup.setAttribute("tabindex", "-1");
      frames[tabStop].element.removeAttribute("tabindex");
    }
  };

  // ---- the views built on the frames: functions table, caller/callee view ----
  const viewer: Viewer = {
    doc,
    svg,
    framesGroup,
    frames,
    geometry: { pad, padTop: Number(config.padTop), padBottom: Number(config.padBottom), fontSize, frameHeight, svgWidth, usableWidth },
    formatValue: (value) => formatValue(value * valueFactor, config.unit ?? "", config.countName ?? ""),
    formatPercent,
    fitLabel,
    place,
    svgElement,
    makeControl,
    search,
    searchPattern: () => currentPattern,
    onSearch: (listener) => searchListeners.push(listener),
    showDetails: (text) => {
      if (details) details.textContent = text === undefined ? " " : detailsLabel + text;
    },
    frameIndexOf,
    onKey: (handler) => keyHandlers.push(handler),
    stateParam: (name, read, restore) => viewParams.set(name, { read, restore }),
    saveState,
    showGraph,
    fitHeight: heightFitter(svg, doc),
  };
  functionsTable(viewer, callerCalleeView(viewer));

  if (standalone) {
    window.addEventListener("hashchange", restoreState);
    if (location.hash.length > 1) restoreState();
  }
})();
