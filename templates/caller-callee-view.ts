/**
 * The caller/callee view of one function, drawn in place of the full graph:
 * the function's row in the middle, its merged callers stacked above it and
 * its merged callees below, every frame as wide as its share of the
 * function's total. Opened with C or the context menu on a frame, or from
 * the functions table; click to zoom, search as usual, Escape steps back
 * (search, zoom, then the full graph). Its state is `fn=<name>` in the URL
 * fragment.
 */
import { sandwich, type SandwichNode } from "./sandwich.js";
import { setDisplay, type Display, type DrawnFrame, type Viewer } from "./viewer-api.js";

/** Frames narrower than this (px) are left out, as the full graph leaves them out by default. */
const MIN_WIDTH_PX = 0.1;
/**
 * Frames narrower than this (px) at the current zoom get no element: they would be invisible slivers,
 * and a view of a busy function has thousands of them. A zoom that widens them draws them.
 */
const DRAWN_WIDTH_PX = 1;

interface ViewFrame extends SandwichNode {
  /** Its <rect> (and label), made the first time the frame is at least DRAWN_WIDTH_PX wide. */
  drawn?: DrawnFrame;
}

export interface CallerCalleeView {
  open(name: string): void;
  close(): void;
}

export function callerCalleeView(viewer: Viewer): CallerCalleeView {
  const { doc, svg, frames, geometry } = viewer;
  const { pad, padTop, padBottom, frameHeight, usableWidth, fontSize } = geometry;
  const titleElement = doc.getElementById("title");
  const fullTitle = titleElement?.textContent ?? "";
  const colourOf = new Map<string, string>();
  for (const frame of frames) if (!colourOf.has(frame.name)) colourOf.set(frame.name, frame.rect.getAttribute("fill") ?? "");

  let focus: string | undefined;
  let nodes: ViewFrame[] = [];
  /** The node each drawn <rect> stands for. */
  let nodeOfRect = new Map<Element, number>();
  /** Top of the function's row (px). */
  let focusY = 0;
  let zoomed = 0;
  let tabStop = 0;
  let group: SVGGElement | undefined;
  const backControl = viewer.svgElement("text", { id: "fullgraph", class: "hide", x: pad, y: fontSize * 2 });
  backControl.textContent = "Full Graph";
  svg.appendChild(backControl);
  viewer.makeControl(backControl, () => close());
  const prototype = viewer.svgElement("rect", { role: "button", height: frameHeight - 1 });

  function open(name: string): void {
    const laidOut = sandwich(frames, name, MIN_WIDTH_PX, usableWidth);
    // A function that only has frames too narrow to draw has no view.
    if (laidOut[0].value <= 0) return;
    group?.remove();
    focus = name;
    let callerRows = 0;
    let calleeRows = 0;
    for (const node of laidOut) {
      callerRows = Math.max(callerRows, -node.row);
      calleeRows = Math.max(calleeRows, node.row);
    }
    focusY = padTop + callerRows * frameHeight;
    group = viewer.svgElement("g", { id: "callercallee", role: "group", "aria-label": `Callers and callees of ${name}` });
    nodes = laidOut;
    nodeOfRect = new Map();
    tabStop = 0;
    // Drawn before the group joins the document: the browser builds and lays out the fewest elements, once.
    zoomTo(0);
    svg.classList.add("callercallee");
    viewer.showGraph(false);
    svg.insertBefore(group, viewer.framesGroup);
    viewer.fitHeight(focusY + (calleeRows + 1) * frameHeight + padBottom);
    if (titleElement) titleElement.textContent = viewer.fitLabel(`Callers (above) and callees (below) of ${name}`, usableWidth - 400);
    backControl.classList.remove("hide");
    const focused = nodes[0].drawn!.element;
    focused.setAttribute("tabindex", "0");
    focused.focus();
    viewer.saveState();
  }

  /**
   * Makes node i's element, in pre-order before `next` (the element of the nearest drawn node after it), so that
   * the group reads in order. Each frame is one <rect> (its label, where one fits, the <text> after it; no <title>:
   * hover and focus show the details line).
   */
  function draw(i: number, next: Element | null): DrawnFrame {
    const node = nodes[i];
    const rect = prototype.cloneNode() as SVGRectElement;
    const y = focusY + node.row * frameHeight;
    const side = node.row < 0 ? ", caller" : node.row > 0 ? ", callee" : "";
    rect.setAttribute("aria-label", `${node.name}, ${describe(node)}${side}`);
    rect.setAttribute("data-v", String(node.value));
    rect.setAttribute("y", String(y));
    rect.setAttribute("fill", colourOf.get(node.name) || "rgb(200,200,200)");
    if (viewer.searchPattern()?.test(node.name)) rect.classList.add("match");
    group!.insertBefore(rect, next);
    nodeOfRect.set(rect, i);
    return { element: rect, rect, text: null, name: node.name, y, display: "shown", placement: "" };
  }

  function describe(node: ViewFrame): string {
    return `${viewer.formatValue(node.value)}, ${share(node.value, nodes[0].value)} of ${focus}`;
  }

  function share(value: number, whole: number): string {
    return `${((100 * value) / whole).toFixed(2)}%`;
  }

  function close(): void {
    if (focus === undefined) return;
    focus = undefined;
    group?.remove();
    group = undefined;
    nodes = [];
    nodeOfRect = new Map();
    svg.classList.remove("callercallee");
    viewer.showGraph(true);
    viewer.fitHeight(undefined);
    if (titleElement) titleElement.textContent = fullTitle;
    backControl.classList.add("hide");
    viewer.saveState();
    viewer.frames[0].element.focus();
  }

  const isAncestor = (a: number, i: number) => a <= i && i < nodes[a].end && (a === 0 || Math.sign(nodes[a].row) === Math.sign(nodes[i].row));

  /** Zooms one side to node i: its subtree fills the width, the path to the function spans it dimmed; 0 shows all. */
  function zoomTo(i: number): void {
    zoomed = i;
    const target = nodes[i];
    const side = Math.sign(target.row);
    const scale = usableWidth / target.value;
    const fullScale = usableWidth / nodes[0].value;
    let next: Element | null = null;
    for (let j = nodes.length - 1; j >= 0; j--) {
      const node = nodes[j];
      if (i !== 0 && j >= i && j < target.end) show(j, "shown", pad + (node.start - target.start) * scale, node.value * scale, next);
      else if (i !== 0 && isAncestor(j, i)) show(j, "parent", pad, usableWidth, next);
      else if (i !== 0 && Math.sign(node.row) === side) hide(node);
      else show(j, "shown", pad + node.start * fullScale, node.value * fullScale, next);
      if (node.drawn) next = node.drawn.element;
    }
    // A zoom out can leave the tab stop too narrow to draw: it moves to the nearest shown frame towards the function.
    if (!isShown(tabStop)) {
      const hadFocus = doc.activeElement === nodes[tabStop].drawn?.element;
      let shown = nodes[tabStop].parent;
      while (!isShown(shown)) shown = nodes[shown].parent;
      moveTabStop(shown, hadFocus);
    }
  }

  /** Shows node i at x and width, drawing it if it has become wide enough; hides it while too narrow. */
  function show(i: number, display: Display, x: number, width: number, next: Element | null): void {
    const node = nodes[i];
    if (width < DRAWN_WIDTH_PX) return hide(node);
    node.drawn ??= draw(i, next);
    setDisplay(node.drawn, display);
    viewer.place(node.drawn, x, width);
  }

  function hide(node: ViewFrame): void {
    if (node.drawn) setDisplay(node.drawn, "hide");
  }

  function applySearch(pattern: RegExp | undefined): void {
    for (const node of nodes) node.drawn?.element.classList.toggle("match", pattern !== undefined && pattern.test(node.name));
  }

  function nodeIndexOf(target: EventTarget | null): number {
    const rect = (target as Element | null)?.closest?.("#callercallee > rect");
    return (rect && nodeOfRect.get(rect)) ?? -1;
  }

  function moveTabStop(i: number, focusIt = true): void {
    nodes[tabStop].drawn?.element.removeAttribute("tabindex");
    const element = nodes[i].drawn!.element;
    element.setAttribute("tabindex", "0");
    if (focusIt) element.focus();
    tabStop = i;
  }

  const isShown = (i: number) => nodes[i].drawn !== undefined && nodes[i].drawn.display !== "hide";

  /** Children of node i on one side (for the function: the side the key points to). */
  function firstChild(i: number, side: number): number {
    for (let j = i + 1; j < nodes[i].end; j++) if (nodes[j].parent === i && Math.sign(nodes[j].row) === side && isShown(j)) return j;
    return -1;
  }

  function sibling(i: number, step: 1 | -1): number {
    const parent = nodes[i].parent;
    if (parent < 0) return -1;
    const side = Math.sign(nodes[i].row);
    for (let j = i + step; j > parent && j < nodes.length; j += step) {
      if (nodes[j].parent === parent && Math.sign(nodes[j].row) === side && isShown(j)) return j;
    }
    return -1;
  }

  function nodeTowards(i: number, key: string): number {
    const side = Math.sign(nodes[i].row);
    switch (key) {
      case "ArrowUp":
        return side > 0 ? nodes[i].parent : firstChild(i, -1);
      case "ArrowDown":
        return side < 0 ? nodes[i].parent : firstChild(i, 1);
      case "ArrowLeft":
        return sibling(i, -1);
      case "ArrowRight":
        return sibling(i, 1);
      default:
        return -1;
    }
  }

  svg.addEventListener("click", (event) => {
    const i = nodeIndexOf(event.target);
    if (i >= 0) zoomTo(i === zoomed ? 0 : i);
  });
  for (const type of ["mouseover", "focusin"]) {
    svg.addEventListener(type, (event) => {
      const i = nodeIndexOf(event.target);
      if (i >= 0) viewer.showDetails(`${nodes[i].name} (${describe(nodes[i])})`);
    });
  }
  viewer.framesGroup.addEventListener("contextmenu", (event) => {
    const i = viewer.frameIndexOf(event.target);
    if (i <= 0) return;
    event.preventDefault();
    open(frames[i].name);
  });

  viewer.onKey((event) => {
    const key = event.key;
    if (focus === undefined) {
      const i = viewer.frameIndexOf(event.target);
      if (i > 0 && (key === "c" || key === "C")) {
        open(frames[i].name);
        return true;
      }
      return false;
    }
    if (key === "Escape") {
      if (viewer.searchPattern()) return false;
      if (zoomed !== 0) zoomTo(0);
      else close();
      return true;
    }
    const i = nodeIndexOf(event.target);
    if (i < 0) return false;
    if (key === "Enter" || key === " ") {
      event.preventDefault();
      zoomTo(i);
      return true;
    }
    if ((key === "c" || key === "C") && i > 0) {
      open(nodes[i].name);
      return true;
    }
    const next = nodeTowards(i, key);
    if (next < 0) return false;
    event.preventDefault();
    moveTabStop(next);
    return true;
  });
  viewer.onSearch(applySearch);
  viewer.stateParam(
    "fn",
    () => focus,
    (value) => {
      if (value === null) close();
      else if (frames.some((frame) => frame.name === value)) open(value);
    },
  );

  return { open, close };
}
