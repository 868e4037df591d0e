/*
 * torch flame graph viewer: zoom, search and details for the SVG it is
 * embedded in. Everything it needs is read from the document: each frame is a
 * <g data-x="start" data-v="value"> holding <title>, <rect> and <text>, in
 * depth-first order, so a frame's descendants are the frames that follow it
 * with a greater depth. Names are only ever read from and written to text
 * nodes, never parsed as markup.
 */
(function torchViewer() {
  const doc = document;
  const framesGroup = doc.getElementById("frames");
  if (!framesGroup) return;
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
  const svgWidth = Number(doc.documentElement.getAttribute("width"));
  const usableWidth = svgWidth - 2 * pad;
  const detailsLabel = details?.dataset.label ?? "";

  interface Frame {
    g: SVGGElement;
    rect: SVGRectElement;
    text: SVGTextElement | null;
    name: string;
    title: string;
    start: number;
    value: number;
    depth: number;
  }

  const frames: Frame[] = [];
  const indexOf = new Map<Element, number>();
  for (const child of Array.from(framesGroup.children)) {
    const g = child as SVGGElement;
    const rect = g.querySelector("rect");
    const titleElement = g.querySelector("title");
    if (!rect || !titleElement) continue;
    const title = titleElement.textContent ?? "";
    const cut = title.lastIndexOf(" (");
    indexOf.set(g, frames.length);
    frames.push({
      g,
      rect,
      text: g.querySelector("text"),
      name: cut >= 0 ? title.slice(0, cut) : title,
      title,
      start: Number(g.dataset.x),
      value: Number(g.dataset.v),
      depth: 0,
    });
  }
  if (frames.length === 0) return;
  const rootY = Number(frames[0].rect.getAttribute("y"));
  for (const frame of frames) {
    frame.depth = Math.round(Math.abs(Number(frame.rect.getAttribute("y")) - rootY) / frameHeight);
  }
  const totalValue = frames[0].value;

  /** One past the last descendant of frame i. */
  function subtreeEnd(i: number): number {
    let end = i + 1;
    while (end < frames.length && frames[end].depth > frames[i].depth) end++;
    return end;
  }

  function fitLabel(name: string, width: number): string {
    const chars = Math.floor(width / (fontSize * fontWidth));
    if (chars < 3) return "";
    return name.length <= chars ? name : name.slice(0, chars - 2) + "..";
  }

  function place(frame: Frame, x: number, width: number): void {
    frame.rect.setAttribute("x", x.toFixed(1));
    frame.rect.setAttribute("width", width.toFixed(1));
    if (frame.text) {
      frame.text.setAttribute("x", (x + 3).toFixed(1));
      frame.text.textContent = fitLabel(frame.name, width);
    }
  }

  // ---- zoom ----
  let zoomed = -1;

  function zoom(i: number): void {
    const target = frames[i];
    const end = subtreeEnd(i);
    const scale = usableWidth / target.value;
    let ancestorDepth = target.depth;
    for (let j = frames.length - 1; j >= 0; j--) {
      const frame = frames[j];
      const classes = frame.g.classList;
      if (j >= i && j < end) {
        classes.remove("hide", "parent");
        place(frame, pad + (frame.start - target.start) * scale, frame.value * scale);
      } else if (j < i && frame.depth < ancestorDepth && frame.start <= target.start) {
        ancestorDepth = frame.depth;
        classes.remove("hide");
        classes.add("parent");
        place(frame, pad, usableWidth);
      } else {
        classes.add("hide");
        classes.remove("parent");
      }
    }
    zoomed = i;
    unzoomButton?.classList.remove("hide");
    refreshSearch();
  }

  function unzoom(): void {
    if (zoomed < 0) return;
    const scale = usableWidth / totalValue;
    for (const frame of frames) {
      frame.g.classList.remove("hide", "parent");
      place(frame, pad + frame.start * scale, frame.value * scale);
    }
    zoomed = -1;
    unzoomButton?.classList.add("hide");
    refreshSearch();
  }

  // ---- search ----
  let searchTerm = "";
  let ignoreCase = false;

  function search(term: string): void {
    let pattern: RegExp;
    try {
      pattern = new RegExp(term, ignoreCase ? "i" : "");
    } catch (error) {
      if (matchedText) matchedText.textContent = "Invalid regular expression";
      return;
    }
    searchTerm = term;
    let matchedValue = 0;
    let coveredUntil = -1;
    frames.forEach((frame, i) => {
      const hit = term !== "" && pattern.test(frame.name);
      frame.g.classList.toggle("match", hit);
      if (hit && i >= coveredUntil) {
        matchedValue += frame.value;
        coveredUntil = subtreeEnd(i);
      }
    });
    if (searchButton) searchButton.textContent = term === "" ? "Search" : "Reset Search";
    if (matchedText) {
      matchedText.textContent = term === "" ? " " : `Matched: ${((100 * matchedValue) / totalValue).toFixed(2)}%`;
    }
  }

  function refreshSearch(): void {
    if (searchTerm !== "") search(searchTerm);
  }

  function askSearch(): void {
    const term = window.prompt("Enter a search term (regexp allowed, eg: ^ext4_)" + (ignoreCase ? ", ignoring case" : ""), searchTerm);
    if (term !== null) search(term);
  }

  // ---- events ----
  function frameIndexOf(target: EventTarget | null): number {
    const g = (target as Element | null)?.closest?.("#frames > g");
    const index = g ? indexOf.get(g) : undefined;
    return index === undefined ? -1 : index;
  }

  framesGroup.addEventListener("click", (event) => {
    const i = frameIndexOf(event.target);
    if (i >= 0) zoom(i);
  });
  framesGroup.addEventListener("mouseover", (event) => {
    const i = frameIndexOf(event.target);
    if (i >= 0 && details) details.textContent = detailsLabel + frames[i].title;
  });
  framesGroup.addEventListener("mouseout", () => {
    if (details) details.textContent = " ";
  });
  unzoomButton?.addEventListener("click", unzoom);
  searchButton?.addEventListener("click", () => (searchTerm === "" ? askSearch() : search("")));
  caseButton?.addEventListener("click", () => {
    ignoreCase = !ignoreCase;
    caseButton.classList.toggle("on", ignoreCase);
    refreshSearch();
  });
  window.addEventListener("keydown", (event) => {
    const findKey = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "f";
    if (findKey || (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey)) {
      event.preventDefault();
      askSearch();
    } else if (event.key === "Escape") {
      if (searchTerm !== "") search("");
      else unzoom();
    }
  });
})();
