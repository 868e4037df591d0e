import { findAll, frameName, type ParsedSvg } from "./svg.js";

/**
 * The collapsed stacks an SVG draws, rebuilt from the drawing alone: frames
 * come in depth-first pre-order, a frame's depth follows from its row (y) and
 * its self value is its value minus its children's. Returns root-first
 * `a;b;c` -> self value, without zero entries. Needs every frame drawn
 * (`--minwidth 0`).
 */
export function svgStacks(svg: ParsedSvg): Map<string, number> {
  const [framesGroup] = findAll(svg.root, (e) => e.getAttribute("id") === "frames");
  const frameHeight = Number(framesGroup.getAttribute("data-frame-height"));
  const [root, ...frames] = svg.frames;
  const path: Array<{ name: string; value: number; childValue: number }> = [];
  const stacks = new Map<string, number>();
  const close = (depth: number) => {
    while (path.length > depth) {
      const frame = path.pop()!;
      const self = frame.value - frame.childValue;
      if (self !== 0) stacks.set([...path.map((f) => f.name), frame.name].join(";"), self);
    }
  };
  for (const frame of frames) {
    const depth = Math.round(Math.abs(root.y - frame.y) / frameHeight);
    close(depth - 1);
    if (path.length > 0) path[path.length - 1].childValue += frame.value;
    path.push({ name: frameName(frame.title), value: frame.value, childValue: 0 });
  }
  close(0);
  return stacks;
}
