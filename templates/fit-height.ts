/**
 * Lets a view make the picture taller than the graph (a caller/callee view
 * deeper than the graph, a table on a short graph) and back: the size, the
 * background and the lines kept at the bottom (details, "Matched") move.
 */
export function heightFitter(svg: SVGSVGElement, doc: Document): (height: number | undefined) => void {
  const original = Number(svg.getAttribute("height"));
  const background = svg.querySelector("rect[fill='url(#background)']");
  const bottomLines = ["details", "matched"].map((id) => doc.getElementById(id)).filter((line): line is HTMLElement => line !== null);
  const bottomOffsets = bottomLines.map((line) => original - Number(line.getAttribute("y")));
  const width = svg.getAttribute("width");
  let current = original;
  return (height) => {
    const h = Math.max(original, Math.ceil(height ?? 0));
    // Every change lays out the whole picture again: none when nothing changes.
    if (h === current) return;
    current = h;
    svg.setAttribute("height", String(h));
    svg.setAttribute("viewBox", `0 0 ${width} ${h}`);
    background?.setAttribute("height", String(h));
    bottomLines.forEach((line, i) => line.setAttribute("y", String(h - bottomOffsets[i])));
  };
}
