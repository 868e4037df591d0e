/**
 * The functions table: every function of the profile with its self and
 * total value (as `torch --top` and pprof's top count them, from the data the
 * SVG carries in <metadata id="functions">), sortable by either, filtered by
 * the current search. An HTML table in a <foreignObject> over the graph, so
 * it scrolls and reads as a table to screen readers. Opened by the
 * "Functions" control or the T key; Enter (or a click) on a row highlights
 * the function's frames, C (or the row's button) opens its callers and
 * callees, Escape closes the table.
 */
import type { CallerCalleeView } from "./caller-callee-view.js";
import { literalPattern, type Viewer } from "./viewer-api.js";

const XHTML_NS = "http://www.w3.org/1999/xhtml";

type Order = "self" | "total" | "name";

interface FunctionRow {
  name: string;
  self: number;
  total: number;
  /** Whether any of its frames is drawn (frames narrower than --minwidth are not). */
  drawn: boolean;
}

export function functionsTable(viewer: Viewer, callerCallee: CallerCalleeView): void {
  const { doc, svg, geometry } = viewer;
  const { pad, fontSize, usableWidth, svgWidth } = geometry;
  const data = doc.getElementById("functions")?.textContent;
  if (!data) return;
  const drawnNames = new Set(viewer.frames.map((frame) => frame.name));
  const rows: FunctionRow[] = (JSON.parse(data) as [string, number, number][]).map(([name, self, total]) => ({ name, self, total, drawn: drawnNames.has(name) }));

  const control = viewer.svgElement("text", { id: "functions-control", x: svgWidth - pad - 190, y: fontSize * 2 });
  control.textContent = "Functions";
  svg.appendChild(control);
  viewer.makeControl(control, () => (panel ? close() : open()));
  control.setAttribute("aria-expanded", "false");

  let order: Order = "self";
  let panel: SVGForeignObjectElement | undefined;
  let body: HTMLTableSectionElement | undefined;
  let summary: HTMLElement | undefined;
  let shown: FunctionRow[] = [];
  let activeRow = 0;

  function html<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
    const element = doc.createElementNS(XHTML_NS, tag) as HTMLElementTagNameMap[K];
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function open(): void {
    callerCallee.close();
    const top = fontSize * 2 + 8;
    const height = Math.max(Number(svg.getAttribute("height")) - top - geometry.padBottom, 320);
    viewer.fitHeight(top + height + geometry.padBottom);
    panel = viewer.svgElement("foreignObject", { id: "functions-panel", x: pad, y: top, width: usableWidth, height });
    const box = html("div", { class: "functions", role: "dialog", "aria-label": "Functions" });
    summary = html("p", { class: "functions-summary", "aria-live": "polite" });
    const hint = html("p", { class: "functions-hint" }, "Up/Down: move. Enter: highlight frames. C: callers and callees. Escape: close.");
    const table = html("table");
    const head = html("thead");
    const headRow = html("tr");
    const column = (label: string, sortBy?: Order) => {
      const cell = html("th", { scope: "col" });
      if (sortBy) {
        const button = html("button", { type: "button", "data-order": sortBy }, label);
        button.addEventListener("click", () => sort(sortBy));
        cell.appendChild(button);
      } else {
        cell.textContent = label;
      }
      headRow.appendChild(cell);
    };
    column("Self", "self");
    column("Self %");
    column("Total", "total");
    column("Total %");
    column("Function", "name");
    column("Callers / callees");
    head.appendChild(headRow);
    body = html("tbody");
    table.append(head, body);
    const scroller = html("div", { class: "functions-scroll" });
    scroller.style.height = `${height - 2 * (fontSize + 10) - 8}px`;
    scroller.appendChild(table);
    box.append(summary, hint, scroller);
    panel.appendChild(box);
    svg.appendChild(panel);
    body.addEventListener("click", onRowClick);
    box.addEventListener("keydown", onKey);
    control.setAttribute("aria-expanded", "true");
    render();
    focusRow(0);
  }

  function close(): void {
    if (!panel) return;
    panel.remove();
    panel = body = summary = undefined;
    viewer.fitHeight(undefined);
    control.setAttribute("aria-expanded", "false");
    control.focus();
  }

  function sort(by: Order): void {
    order = by;
    render();
    focusRow(0);
  }

  function render(): void {
    if (!body || !panel || !summary) return;
    const pattern = viewer.searchPattern();
    shown = rows.filter((row) => !pattern || pattern.test(row.name));
    const byName = (a: FunctionRow, b: FunctionRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    shown.sort(
      order === "self"
        ? (a, b) => b.self - a.self || b.total - a.total || byName(a, b)
        : order === "total"
          ? (a, b) => b.total - a.total || b.self - a.self || byName(a, b)
          : byName,
    );
    for (const button of Array.from(panel.querySelectorAll("th button"))) {
      const by = (button as HTMLElement).dataset.order;
      button.parentElement!.setAttribute("aria-sort", by === order ? (order === "name" ? "ascending" : "descending") : "none");
    }
    summary.textContent =
      `${shown.length} of ${rows.length} functions, sorted by ${order}` + (pattern ? `, matching the search /${pattern.source}/ (Reset Search shows all)` : "");
    const fragment = doc.createDocumentFragment();
    shown.forEach((row, index) => {
      const tr = html("tr", { tabindex: "-1", "data-index": String(index) });
      tr.append(
        html("td", {}, viewer.formatValue(row.self)),
        html("td", {}, viewer.formatPercent(row.self)),
        html("td", {}, viewer.formatValue(row.total)),
        html("td", {}, viewer.formatPercent(row.total)),
        html("td", { class: "name" }, row.name),
      );
      const action = html("td");
      if (row.drawn) {
        // A form control per row would cost a third of the table's layout; rows are reached by keyboard (C), this by pointer and screen readers.
        action.appendChild(html("span", { role: "button", tabindex: "-1", class: "callers", "aria-label": `Callers and callees of ${row.name}` }, "⇅"));
      }
      tr.appendChild(action);
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    activeRow = 0;
  }

  function focusRow(index: number): void {
    if (!body || shown.length === 0) return;
    const rowElements = body.children;
    const next = Math.max(0, Math.min(index, shown.length - 1));
    rowElements[activeRow]?.setAttribute("tabindex", "-1");
    rowElements[next].setAttribute("tabindex", "0");
    (rowElements[next] as HTMLElement).focus();
    activeRow = next;
  }

  function rowIndexOf(target: EventTarget | null): number {
    const tr = (target as Element | null)?.closest?.("tr[data-index]");
    return tr ? Number(tr.getAttribute("data-index")) : -1;
  }

  /** Highlights every frame of the function: a search for exactly its name. */
  function choose(index: number): void {
    const row = shown[index];
    if (!row) return;
    close();
    viewer.search(`^${literalPattern(row.name)}$`);
  }

  function showCallers(index: number): void {
    const row = shown[index];
    if (!row?.drawn) return;
    close();
    callerCallee.open(row.name);
  }

  function onRowClick(event: Event): void {
    const index = rowIndexOf(event.target);
    if (index < 0) return;
    if ((event.target as Element).closest(".callers")) showCallers(index);
    else choose(index);
  }

  const pageRows = 10;
  function onKey(event: KeyboardEvent): void {
    const index = rowIndexOf(event.target);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows };
    if (event.key === "Escape") close();
    else if (index >= 0 && event.key in moves) focusRow(index + moves[event.key]);
    else if (index >= 0 && event.key === "Home") focusRow(0);
    else if (index >= 0 && event.key === "End") focusRow(shown.length - 1);
    else if (index >= 0 && (event.key === "Enter" || event.key === " ")) choose(index);
    else if (index >= 0 && (event.key === "c" || event.key === "C")) showCallers(index);
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  viewer.onSearch(() => {
    if (panel) render();
  });
  viewer.onKey((event) => {
    if ((event.key === "t" || event.key === "T") && !panel) {
      open();
      return true;
    }
    return false;
  });
}
