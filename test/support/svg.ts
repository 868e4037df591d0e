import { create } from "xmlbuilder2";

/** One drawn frame as the SVG states it, entities decoded. */
export interface SvgFrame {
  title: string;
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  label: string;
  start: number;
  value: number;
}

export interface ParsedSvg {
  width: number;
  height: number;
  title: string;
  frames: SvgFrame[];
  root: Element;
}

/** The slice of the DOM (as xmlbuilder2's parser builds it) that tests read. */
export interface Element {
  nodeType: number;
  localName: string;
  textContent: string | null;
  childNodes: ArrayLike<Element>;
  getAttribute(name: string): string | null;
}

function elementChildren(node: Element): Element[] {
  return Array.from(node.childNodes).filter((n) => n.nodeType === 1);
}

function textOf(node: Element | undefined): string {
  return node?.textContent ?? "";
}

/**
 * Parses an SVG with an XML parser (so a malformed document throws) and
 * returns its frames as drawn; test code reads the SVG only through this.
 */
export function parseSvg(svg: string): ParsedSvg {
  const root = create(svg).root().node as unknown as Element;
  const byId = (id: string) => findAll(root, (e) => e.getAttribute("id") === id)[0];
  const framesGroup = byId("frames");
  if (!framesGroup) throw new Error("SVG has no #frames group");
  const frames = elementChildren(framesGroup).map((g) => {
    const [title] = elementChildren(g).filter((e) => e.localName === "title");
    const [rect] = elementChildren(g).filter((e) => e.localName === "rect");
    const [text] = elementChildren(g).filter((e) => e.localName === "text");
    return {
      title: textOf(title),
      x: Number(rect.getAttribute("x")),
      y: Number(rect.getAttribute("y")),
      width: Number(rect.getAttribute("width")),
      height: Number(rect.getAttribute("height")),
      fill: rect.getAttribute("fill") ?? "",
      label: textOf(text),
      start: Number(g.getAttribute("data-x")),
      value: Number(g.getAttribute("data-v")),
    };
  });
  return {
    width: Number(root.getAttribute("width")),
    height: Number(root.getAttribute("height")),
    title: textOf(byId("title")),
    frames,
    root,
  };
}

/** Every element below `node` (iteratively: documents may be deep) that passes `test`. */
export function findAll(node: Element, test: (e: Element) => boolean): Element[] {
  const found: Element[] = [];
  const pending = [node];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (test(next)) found.push(next);
    pending.push(...elementChildren(next).reverse());
  }
  return found;
}

/** Name part of a frame title: everything before the last " (". */
export function frameName(title: string): string {
  const cut = title.lastIndexOf(" (");
  return cut >= 0 ? title.slice(0, cut) : title;
}
