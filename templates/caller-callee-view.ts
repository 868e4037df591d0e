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
import type { Viewer } from "./viewer-api.js";

/** Frames narrower than this (px) are left out, as the full graph leaves them out by default. */
const MIN_WIDTH_PX = 0.1;

interface ViewFrame extends SandwichNode {
  g: SVGGElement;
  rect: SVGRectElement;
  /** The label, created once the frame is wide enough for one. */
  text: SVGTextElement | null;
  title: string;
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
  let zoomed = 0;
  let tabStop = 0;
  let group: SVGGElement | undefined;
  const backControl = viewer.svgElement("text", { id: "fullgraph", class: "hide", x: pad, y: fontSize * 2 });
  backControl.textContent = "Full Graph";
  svg.appendChild(backControl);
  viewer.makeControl(backControl, () => close());

  function open(name: string): void {
    const laidOut = sandwich(frames, name, 0);
    const functionTotal = laidOut[0].value;
    // A function that only has frames too narrow to draw has no view.
    if (functionTotal <= 0) return;
    group?.remove();
    focus = name;
    const minValue = (MIN_WIDTH_PX * functionTotal) / usableWidth;
    nodes = [];
    group = viewer.svgElement("g", { id: "callercallee", role: "group", "aria-label": `Callers and callees of ${name}` });
    const callerRows = Math.max(0, ...laidOut.map((node) => -node.row));
    const calleeRows = Math.max(0, ...laidOut.map((node) => node.row));
    const focusY = padTop + callerRows * frameHeight;
    const kept = new Map<number, number>();
    laidOut.forEach((node, i) => {
      if (i > 0 && (node.value < minValue || !kept.has(node.parent))) return;
      kept.set(i, nodes.length);
      const g = viewer.svgElement("g", { role: "button", "data-v": node.value });
      const title = `${node.name} (${viewer.formatValue(node.value)}, ${share(node.value, functionTotal)} of ${name})`;
      const titleNode = viewer.svgElement("title", {});
      titleNode.textContent = title;
      const y = focusY + node.row * frameHeight;
      const rect = viewer.svgElement("rect", { y, height: frameHeight - 1, fill: colourOf.get(node.name) || "rgb(200,200,200)" });
      g.append(titleNode, rect);
      g.setAttribute("aria-label", `${node.name}, ${viewer.formatValue(node.value)}, ${share(node.value, functionTotal)} of ${name}${node.row < 0 ? ", caller" : node.row > 0 ? ", callee" : ""}`);
      group!.appendChild(g);
      nodes.push({ ...node, parent: node.parent >= 0 ? kept.get(node.parent)! : -1, g, rect, text: null, title });
    });
    // Subtree ends were computed before frames were left out; recount them on the kept nodes.
    recountEnds();
    // Placed before the group joins the document, so that the browser lays it out once.
    zoomTo(0);
    svg.classList.add("callercallee");
    svg.insertBefore(group, viewer.framesGroup);
    viewer.fitHeight(focusY + (calleeRows + 1) * frameHeight + padBottom);
    if (titleElement) titleElement.textContent = viewer.fitLabel(`Callers (above) and callees (below) of ${name}`, usableWidth - 400);
    backControl.classList.remove("hide");
    tabStop = 0;
    nodes[0].g.setAttribute("tabindex", "0");
    nodes[0].g.focus();
    viewer.saveState();
  }

  function recountEnds(): void {
    for (let i = nodes.length - 1; i >= 0; i--) nodes[i].end = i + 1;
    for (let i = nodes.length - 1; i > 0; i--) {
      const parent = nodes[i].parent;
      nodes[parent].end = Math.max(nodes[parent].end, nodes[i].end);
    }
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
    svg.classList.remove("callercallee");
    viewer.fitHeight(undefined);
    if (titleElement) titleElement.textContent = fullTitle;
    backControl.classList.add("hide");
    viewer.saveState();
    viewer.frames[0].g.focus();
  }

  const isAncestor = (a: number, i: number) => a <= i && i < nodes[a].end && (a === 0 || Math.sign(nodes[a].row) === Math.sign(nodes[i].row));

  /** Zooms one side to node i: its subtree fills the width, the path to the function spans it dimmed; 0 shows all. */
  function zoomTo(i: number): void {
    zoomed = i;
    const target = nodes[i];
    const side = Math.sign(target.row);
    const scale = usableWidth / target.value;
    const fullScale = usableWidth / nodes[0].value;
    nodes.forEach((node, j) => {
      let x = pad + node.start * fullScale;
      let width = node.value * fullScale;
      let display = "";
      if (i !== 0) {
        if (j >= i && j < target.end) {
          x = pad + (node.start - target.start) * scale;
          width = node.value * scale;
        } else if (isAncestor(j, i)) {
          x = pad;
          width = usableWidth;
          display = "parent";
        } else if (Math.sign(node.row) === side) {
          display = "hide";
        }
      }
      node.g.setAttribute("class", display);
      node.rect.setAttribute("x", x.toFixed(1));
      node.rect.setAttribute("width", width.toFixed(1));
      const label = viewer.fitLabel(node.name, width);
      if (!node.text && label === "") return;
      const y = Number(node.rect.getAttribute("y"));
      node.text ??= node.g.appendChild(viewer.svgElement("text", { y: (y + frameHeight / 2 + 2.5).toFixed(1) }));
      node.text.setAttribute("x", (x + 3).toFixed(1));
      node.text.textContent = label;
    });
    applySearch(viewer.searchPattern());
  }

  function applySearch(pattern: RegExp | undefined): void {
    for (const node of nodes) node.g.classList.toggle("match", pattern !== undefined && pattern.test(node.name));
  }

  function nodeIndexOf(target: EventTarget | null): number {
    const g = (target as Element | null)?.closest?.("#callercallee > g");
    return g ? nodes.findIndex((node) => node.g === g) : -1;
  }

  function moveTabStop(i: number): void {
    nodes[tabStop]?.g.removeAttribute("tabindex");
    nodes[i].g.setAttribute("tabindex", "0");
    nodes[i].g.focus();
    tabStop = i;
  }

  const isShown = (i: number) => nodes[i].g.getAttribute("class") !== "hide";

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
  svg.addEventListener("mouseover", (event) => {
    const i = nodeIndexOf(event.target);
    if (i >= 0) viewer.showDetails(nodes[i].title);
  });
  svg.addEventListener("focusin", (event) => {
    const i = nodeIndexOf(event.target);
    if (i >= 0) viewer.showDetails(nodes[i].title);
  });
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
