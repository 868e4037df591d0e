/**
 * The functions table and the caller/callee view of torch SVGs in Chromium,
 * driven by mouse and keyboard and checked against truth computed here from
 * `torch --folded` of the same input: per-function self and total, and the
 * merged callers and callees of a function.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_OPTIONS, paddings } from "torch-flamegraph";
import { assertQuiet, installActionTimer, launchBrowser, openWatched, readFrames, renderToFile, type PageGlobals } from "./support/browser.js";
import { repoRoot, runCli } from "./support/cli.js";
import { parseFolded, type FoldedStack } from "./support/folded.js";
import { scratchDir } from "./support/scratch.js";
import { functionTruth, shownFrameName, stackTotal } from "./support/function-truth.js";

const PERF_FOLDED = join(repoRoot, "test/fixtures/corpus/flamegraph-folded/folded/example-perf.folded");
const USABLE_WIDTH = DEFAULT_OPTIONS.width - 2 * paddings(DEFAULT_OPTIONS).padSide;
const FRAME_HEIGHT = DEFAULT_OPTIONS.frameHeight;

let browser: Browser;
const scratch = scratchDir("functions-view");
let perfSvg: string;
let perfStacks: FoldedStack[];

before(async () => {
  browser = await launchBrowser();
  // Every frame kept, so the caller/callee view is built from exactly the folded stacks.
  perfSvg = renderToFile(join(scratch, "perf.svg"), [PERF_FOLDED, "--minwidth", "0"]);
  perfStacks = parseFolded(runCli([PERF_FOLDED, "--folded"]).stdout);
});
after(async () => {
  await browser?.close();
});

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)}%`;
const samples = (count: number) => `${count.toLocaleString("en-US")} samples`;

interface TableRow {
  self: string;
  selfPercent: string;
  total: string;
  totalPercent: string;
  name: string;
}

function tableRows(page: Page): Promise<TableRow[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return Array.from(document.querySelectorAll("#functions-panel tbody tr"), (tr) => {
      const cells = Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "");
      return { self: cells[0], selfPercent: cells[1], total: cells[2], totalPercent: cells[3], name: cells[4] };
    });
  });
}

async function focusedRowName(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return document.activeElement?.querySelector("td.name")?.textContent ?? undefined;
  });
}

/** Callers (above) and callees (below) as shown: `side:path;from;the;function` -> value. */
interface ViewNode {
  name: string;
  /** What the details line shows on hover: "name (value, share of the function)". */
  title: string;
  value: number;
  row: number;
  width: number;
  x: number;
  classes: string[];
  /** Rendered: a frame drawn once stays in the view, hidden while a zoom leaves no room for it. */
  shown: boolean;
}

/** The view's frames (one <rect> each), named by what hovering each shows on the details line. */
async function viewNodes(page: Page): Promise<ViewNode[]> {
  const nodes = await page.evaluate(() => {
    const { document, MouseEvent, getComputedStyle } = globalThis as unknown as PageGlobals;
    const details = document.querySelector("#details")!;
    const detailsLabel = details.getAttribute("data-label") ?? "";
    return Array.from(document.querySelectorAll("#callercallee > rect"), (rect) => {
      rect.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
      const shown = details.textContent ?? "";
      const title = shown.startsWith(detailsLabel) ? shown.slice(detailsLabel.length) : `(details line: ${shown})`;
      return {
        name: title.slice(0, title.lastIndexOf(" (")),
        title,
        value: Number(rect.getAttribute("data-v")),
        y: Number(rect.getAttribute("y")),
        x: Number(rect.getAttribute("x")),
        width: Number(rect.getAttribute("width")),
        classes: (rect.getAttribute("class") ?? "").split(" ").filter(Boolean),
        shown: getComputedStyle(rect).display !== "none",
      };
    });
  });
  const focusY = nodes[0].y;
  return nodes.map(({ y, ...node }) => ({ ...node, row: Math.round((y - focusY) / FRAME_HEIGHT) }));
}

/** The name of the focused frame (full graph or view), from the details line that focus fills. */
function focusedFrameName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const details = document.querySelector("#details")!;
    const title = (details.textContent ?? "").slice((details.getAttribute("data-label") ?? "").length);
    return title.slice(0, title.lastIndexOf(" ("));
  });
}

/**
 * The frames a view shows (drawn and not hidden by a zoom), each with its path
 * from the function (see `viewPaths`) and its index among the view's <rect>s.
 */
function shownWithPaths(nodes: ViewNode[]): Array<ViewNode & { path: string; index: number }> {
  const shown = nodes.map((node, index) => ({ ...node, index })).filter((node) => node.shown);
  const paths = [...viewPaths(shown).keys()];
  // viewPaths keys stay in document order; a path seen twice would be a frame drawn twice.
  assert.equal(paths.length, shown.length - 1, "every shown frame has its own path");
  return shown.map((node, i) => ({ ...node, path: i === 0 ? "" : paths[i - 1] }));
}

/** Paths from the function outwards, keyed `callers:a;b` / `callees:c;d`, from the shown nodes in pre-order with rows. */
function viewPaths(nodes: ViewNode[]): Map<string, number> {
  const paths = new Map<string, number>();
  const open: string[] = [];
  for (const node of nodes.slice(1).filter((each) => each.shown)) {
    const depth = Math.abs(node.row);
    open.length = depth - 1;
    open.push(node.name);
    paths.set(`${node.row < 0 ? "callers" : "callees"}:${open.join(";")}`, node.value);
  }
  return paths;
}

/**
 * The sandwich of `name` from folded stacks: every stack holding it adds its
 * count once to the callers path above the innermost occurrence and once to
 * the callees path below the outermost one. Paths worth less than
 * `minValue` are left out, as the view leaves out frames under 0.1 px.
 */
function sandwichTruth(stacks: FoldedStack[], name: string): { total: number; paths: Map<string, number> } {
  const paths = new Map<string, number>();
  let total = 0;
  const add = (key: string, count: number) => paths.set(key, (paths.get(key) ?? 0) + count);
  for (const stack of stacks) {
    const names = stack.frames.map(shownFrameName);
    const first = names.indexOf(name);
    if (first < 0) continue;
    total += stack.count;
    const callers = names.slice(0, names.lastIndexOf(name)).reverse();
    callers.forEach((_, depth) => add(`callers:${callers.slice(0, depth + 1).join(";")}`, stack.count));
    const callees = names.slice(first + 1);
    callees.forEach((_, depth) => add(`callees:${callees.slice(0, depth + 1).join(";")}`, stack.count));
  }
  const minValue = (0.1 * total) / USABLE_WIDTH;
  for (const [key, value] of paths) if (value < minValue) paths.delete(key);
  return { total, paths };
}

/**
 * The paths a view draws when `whole` spans its width: those at least 1 px
 * wide (narrower ones would be invisible slivers, drawn once a zoom widens them).
 */
function atLeastOnePixel(paths: Map<string, number>, whole: number): Map<string, number> {
  return new Map([...paths].filter(([, value]) => value * (USABLE_WIDTH / whole) >= 1));
}

/** A function with several callers and callees: the one with the most distinct caller paths among those above 2%. */
function interestingFunction(stacks: FoldedStack[]): string {
  const truth = functionTruth(stacks);
  const whole = stackTotal(stacks);
  let best = { name: "", score: -1 };
  for (const [name, { total }] of truth) {
    if (total < whole * 0.02) continue;
    const { paths } = sandwichTruth(stacks, name);
    const callers = [...paths.keys()].filter((key) => key.startsWith("callers:")).length;
    const callees = paths.size - callers;
    const score = Math.min(callers, callees);
    if (score > best.score) best = { name, score };
  }
  return best.name;
}

describe("functions table", () => {
  test("lists every function with self and total as counted from the folded stacks, sortable by either", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const truth = functionTruth(perfStacks);
    const whole = stackTotal(perfStacks);
    assert.equal(await page.locator("#functions-control").getAttribute("role"), "button");
    await page.locator("#functions-control").click();
    assert.equal(await page.locator("#functions-control").getAttribute("aria-expanded"), "true");
    const rows = await tableRows(page);
    assert.equal(rows.length, truth.size);
    for (const row of rows) {
      const expected = truth.get(row.name);
      assert.ok(expected, `${row.name} is a function of the profile`);
      assert.deepEqual(row, {
        name: row.name,
        self: samples(expected.self),
        selfPercent: percent(expected.self, whole),
        total: samples(expected.total),
        totalPercent: percent(expected.total, whole),
      });
    }
    const bySelf = [...truth].sort(([an, a], [bn, b]) => b.self - a.self || b.total - a.total || (an < bn ? -1 : 1)).map(([name]) => name);
    assert.deepEqual(rows.map((row) => row.name), bySelf);
    assert.equal(await page.locator("th[aria-sort=descending]").textContent(), "Self");

    await page.locator("th button[data-order=total]").click();
    const byTotal = [...truth].sort(([an, a], [bn, b]) => b.total - a.total || b.self - a.self || (an < bn ? -1 : 1)).map(([name]) => name);
    assert.deepEqual((await tableRows(page)).map((row) => row.name), byTotal);
    assert.equal(await page.locator("th[aria-sort=descending]").textContent(), "Total");
    await page.locator("th button[data-order=name]").click();
    assert.deepEqual((await tableRows(page)).map((row) => row.name), [...truth.keys()].sort((a, b) => (a < b ? -1 : 1)));
    assert.equal(await page.locator("th[aria-sort=ascending]").textContent(), "Function");

    // The row's ⇅ button opens the function's callers and callees.
    const opened = interestingFunction(perfStacks);
    const rowIndex = (await tableRows(page)).findIndex((row) => row.name === opened);
    const button = page.locator("#functions-panel tbody tr").nth(rowIndex).locator("[role=button]");
    assert.equal(await button.getAttribute("aria-label"), `Callers and callees of ${opened}`);
    await button.click();
    assert.equal(await page.locator("#functions-panel").count(), 0);
    assert.equal((await viewNodes(page))[0].name, opened);
    assertQuiet(watch);
  });

  test("filtered by the search; keyboard: T opens, arrows move, Enter highlights the function's frames, Escape closes", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const prompted = watch.expectPrompt("^java");
    await page.keyboard.press("/");
    await prompted;
    await page.keyboard.press("t");
    const pattern = /^java/;
    const truth = [...functionTruth(perfStacks).keys()].filter((name) => pattern.test(name));
    const rows = await tableRows(page);
    assert.deepEqual(rows.map((row) => row.name).sort(), truth.sort());
    assert.match((await page.locator(".functions-summary").textContent()) ?? "", new RegExp(`^${truth.length} of \\d+ functions`));

    assert.equal(await focusedRowName(page), rows[0].name, "the first row has focus");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    assert.equal(await focusedRowName(page), rows[1].name);
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("#functions-panel").count(), 0, "choosing a row closes the table");
    const frames = await readFrames(page);
    const chosen = rows[1].name;
    for (const frame of frames.slice(1)) assert.equal(frame.classes.includes("match"), frame.name === chosen, `frame ${frame.index} ${frame.name}`);
    assert.ok(frames.some((frame) => frame.name === chosen));
    const matched = perfStacks.filter((stack) => stack.frames.map(shownFrameName).includes(chosen));
    assert.equal(await page.locator("#matched").textContent(), `Matched: ${percent(stackTotal(matched), stackTotal(perfStacks))}`);

    await page.keyboard.press("t");
    assert.deepEqual((await tableRows(page)).map((row) => row.name), [chosen], "the table follows the search");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("#functions-panel").count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute("id")), "functions-control");
    assertQuiet(watch);
  });
});

describe("caller/callee view", () => {
  test("shows the merged callers above and callees below, sized by share of the function, as the folded stacks say", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const name = interestingFunction(perfStacks);
    const truth = sandwichTruth(perfStacks, name);
    const frames = await readFrames(page);
    const frame = frames.find((f) => f.name === name)!;
    await page.locator("#frames > g").nth(frame.index).locator("rect").click({ button: "right" });

    const nodes = await viewNodes(page);
    assert.deepEqual({ name: nodes[0].name, value: nodes[0].value, row: nodes[0].row }, { name, value: truth.total, row: 0 });
    assert.ok(nodes.every((node) => node.shown), "every frame drawn at opening shows");
    assert.deepEqual(viewPaths(nodes), atLeastOnePixel(truth.paths, truth.total));
    for (const node of nodes) {
      assert.ok(Math.abs(node.width - (node.value * USABLE_WIDTH) / truth.total) <= 0.1, `${node.name} is as wide as its share`);
    }
    assert.ok(nodes.some((node) => node.row < 0) && nodes.some((node) => node.row > 0), "callers and callees both shown");
    assert.equal(await page.locator("#frames").isVisible(), false, "the full graph is hidden");
    assert.equal(await page.locator("#frames").getByRole("button").count(), 0, "from assistive technology too");
    for (let press = 0; press < 4; press++) {
      await page.keyboard.press("Tab");
      assert.equal(await page.locator("#frames:focus-within").count(), 0, "and from the keyboard");
    }
    await page.locator("#callercallee > rect").first().focus();
    assert.equal(nodes[0].title, `${name} (${samples(truth.total)}, 100.00% of ${name})`);
    assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get("fn"), name);

    // Zoom on the widest callee: it spans the width; Escape unzooms, then returns to the full graph.
    const callee = shownWithPaths(nodes).filter((node) => node.row === 1).sort((a, b) => b.value - a.value)[0];
    await page.locator("#callercallee > rect").nth(callee.index).click();
    const zoomed = shownWithPaths(await viewNodes(page));
    assert.ok(Math.abs(zoomed.find((node) => node.path === callee.path)!.width - USABLE_WIDTH) <= 0.1);
    assert.ok(zoomed[0].classes.includes("parent"), "the function dims as the zoomed frame's parent");
    await page.keyboard.press("Escape");
    const unzoomed = shownWithPaths(await viewNodes(page));
    assert.deepEqual(viewPaths(unzoomed), atLeastOnePixel(truth.paths, truth.total), "unzoomed, the view shows what it showed at opening");
    assert.ok(Math.abs(unzoomed.find((node) => node.path === callee.path)!.width - (callee.value * USABLE_WIDTH) / truth.total) <= 0.1);
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("#callercallee").count(), 0);
    assert.equal(await page.locator("#frames").isVisible(), true);
    assert.equal(await page.locator("#frames").getByRole("button").count(), await page.locator("#frames > g").count());
    assert.equal(await page.locator("#frames [tabindex='0']").count(), 1, "the full graph's tab stop is back");
    assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get("fn"), null);
    assertQuiet(watch);
  });

  test("keyboard: C on a frame or a table row opens it, arrows walk callers and callees; search applies; a link reopens it", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const name = interestingFunction(perfStacks);
    // From the table: T, type nothing, move to the function's row with End/Home-free search: sort by name and walk.
    await page.keyboard.press("t");
    const rows = await tableRows(page);
    const index = rows.findIndex((row) => row.name === name);
    for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("c");
    const nodes = await viewNodes(page);
    assert.equal(nodes[0].name, name);
    const focused = (on = page) => focusedFrameName(on);
    await page.locator("#callercallee > rect").first().focus();
    await page.keyboard.press("ArrowUp");
    const firstCaller = nodes.find((node) => node.row === -1)!;
    assert.equal(await focused(), firstCaller.name, "Up goes to a caller");
    await page.keyboard.press("ArrowDown");
    assert.equal(await focused(), name);
    await page.keyboard.press("ArrowDown");
    assert.equal(await focused(), nodes.find((node) => node.row === 1)!.name, "Down goes to a callee");
    const label = await page.locator("#callercallee > rect").first().getAttribute("aria-label");
    assert.equal(label, `${name}, ${samples(nodes[0].value)}, 100.00% of ${name}`);

    const prompted = watch.expectPrompt(firstCaller.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    await page.keyboard.press("/");
    await prompted;
    const searched = await viewNodes(page);
    for (const node of searched) assert.equal(node.classes.includes("match"), node.name.includes(firstCaller.name), node.name);

    const reopened = await openWatched(browser, page.url());
    const again = await viewNodes(reopened.page);
    assert.deepEqual(again.map((node) => [node.name, node.value, node.row]), searched.map((node) => [node.name, node.value, node.row]));
    await reopened.page.keyboard.press("Escape");
    await reopened.page.keyboard.press("Escape");
    assert.equal(await reopened.page.locator("#callercallee").count(), 0);

    // C on a focused frame of the full graph.
    await reopened.page.locator("#frames > g").first().focus();
    await reopened.page.keyboard.press("ArrowUp");
    const frameName = await focused(reopened.page);
    await reopened.page.keyboard.press("c");
    assert.equal((await viewNodes(reopened.page))[0].name, frameName);
    for (const each of [watch, reopened]) assertQuiet(each);
  });

  test("scripts off: no table, no view, the graph is as before", async () => {
    const watch = await openWatched(browser, perfSvg, { javaScriptEnabled: false });
    const { page } = watch;
    assert.equal(await page.locator("#functions-control").count(), 0);
    assert.equal(await page.locator("#frames > g").first().isVisible(), true);
    assertQuiet(watch);
  });
});

/** The 10k-frame graph: 100 modules calling 10 helpers that call 100 functions, all kept (`--minwidth 0`). */
const bigGraph = (() => {
  let made: { url: string; svgPath: string; stacks: FoldedStack[] } | undefined;
  return () => {
    if (made) return made;
    const lines: string[] = [];
    for (let module = 0; module < 100; module++) {
      for (let fn = 0; fn < 100; fn++) lines.push(`main;module${module}::run;lib::helper${fn % 10};fn${fn} ${1 + ((module * 7 + fn * 13) % 17)}`);
    }
    const input = join(scratch, "big.folded");
    writeFileSync(input, lines.join("\n") + "\n");
    const svgPath = join(scratch, "big.svg");
    made = { url: renderToFile(svgPath, [input, "--minwidth", "0"]), svgPath, stacks: parseFolded(runCli([input, "--folded"]).stdout) };
    return made;
  };
})();

describe("caller/callee view of a 10k-frame graph", () => {
  test("draws only the frames at least 1 px wide; a zoom draws the ones it widens, search and keys included", async () => {
    const { url, stacks } = bigGraph();
    const watch = await openWatched(browser, url);
    const { page } = watch;
    const frame = page.locator("#frames > g").nth(1);
    assert.match((await frame.locator("title").textContent()) ?? "", /^main \(/);
    const truth = sandwichTruth(stacks, "main");
    const atOpening = atLeastOnePixel(truth.paths, truth.total);
    // The graph is busy enough that most of the view's frames are slivers under 1 px.
    assert.ok(atOpening.size < truth.paths.size / 2, `${atOpening.size} of ${truth.paths.size} frames at least 1 px wide`);

    await frame.locator("rect").click({ button: "right" });
    assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get("fn"), "main");
    const opened = await viewNodes(page);
    assert.equal(opened.length, atOpening.size + 1, "one <rect> per frame at least 1 px wide, and the function's own");
    assert.ok(opened.every((node) => node.shown));
    assert.deepEqual(viewPaths(opened), atOpening);
    for (const node of opened) assert.ok(Math.abs(node.width - (node.value * USABLE_WIDTH) / truth.total) <= 0.1, `${node.title} is as wide as its share`);

    // A drawn callee two rows down whose own callees are all too narrow to draw yet.
    const lastName = (path: string) => path.slice(path.lastIndexOf(";") + 1);
    const childrenOf = (path: string) => [...truth.paths.keys()].filter((key) => key.startsWith(`${path};`) && !key.includes(";", path.length + 1));
    const targetPath = [...atOpening.keys()].find((path) => /^callees:[^;]+;[^;]+$/.test(path) && childrenOf(path).length > 0 && childrenOf(path).every((child) => !atOpening.has(child)))!;
    assert.ok(targetPath, "a callee whose callees are all slivers at first");
    const targetValue = truth.paths.get(targetPath)!;

    // Search for one of those callees: no drawn frame matches, yet "Matched" counts every stack holding it, as in the full graph.
    const searched = lastName(childrenOf(targetPath)[0]);
    assert.ok([...atOpening.keys()].every((path) => lastName(path) !== searched), `${searched} has no frame 1 px wide`);
    const prompted = watch.expectPrompt(`^${searched}$`);
    await page.keyboard.press("/");
    await prompted;
    const holding = stacks.filter((stack) => stack.frames.includes(searched));
    assert.equal(await page.locator("#matched").textContent(), `Matched: ${percent(stackTotal(holding), stackTotal(stacks))}`);
    assert.ok((await viewNodes(page)).every((node) => !node.classes.includes("match")));

    // Zooming on the callee draws its callees, now wide enough, in place (pre-order), highlighted by the search.
    const target = shownWithPaths(opened).find((node) => node.path === targetPath)!;
    // Walked to with the keys from the function, which has focus: down a row, then right to the frame on the path.
    for (const name of targetPath.slice("callees:".length).split(";")) {
      await page.keyboard.press("ArrowDown");
      for (let step = 0; step < 100 && (await focusedFrameName(page)) !== name; step++) await page.keyboard.press("ArrowRight");
    }
    assert.equal(await focusedFrameName(page), target.name);
    const targetLabel = await page.locator("#callercallee > rect").nth(target.index).getAttribute("aria-label");
    await page.keyboard.press("Enter");
    const zoomed = shownWithPaths(await viewNodes(page));
    const [, moduleName] = /^callees:([^;]+);/.exec(targetPath)!;
    const expected = new Map([...atOpening].filter(([path]) => path.startsWith("callers:")));
    expected.set(`callees:${moduleName}`, truth.paths.get(`callees:${moduleName}`)!);
    for (const [path, value] of truth.paths) if (path === targetPath || (path.startsWith(`${targetPath};`) && value * (USABLE_WIDTH / targetValue) >= 1)) expected.set(path, value);
    assert.deepEqual(viewPaths(zoomed), expected);
    const drawnByZoom = zoomed.filter((node) => node.path.startsWith(`${targetPath};`));
    assert.equal(drawnByZoom.length, childrenOf(targetPath).length, "every callee of the zoomed frame is drawn");
    for (const node of zoomed) {
      const inSubtree = node.path === targetPath || node.path.startsWith(`${targetPath};`);
      const width = inSubtree ? (node.value * USABLE_WIDTH) / targetValue : USABLE_WIDTH;
      assert.ok(Math.abs(node.width - width) <= 0.1, `${node.title} is ${width} px wide`);
      assert.equal(node.classes.includes("parent"), !inSubtree, `${node.title} dims as an ancestor of the zoomed frame`);
      assert.equal(node.classes.includes("match"), node.name === searched, `${node.title} matches the search`);
    }

    // Keys reach the frames the zoom drew; unzoomed, the tab stop climbs back to a frame still drawn.
    await page.keyboard.press("ArrowDown");
    const below = zoomed[zoomed.findIndex((node) => node.path === targetPath) + 1];
    assert.equal(below.path, childrenOf(targetPath).sort()[0]);
    assert.equal(await focusedFrameName(page), below.name, "Down goes to the first callee drawn by the zoom");
    await page.keyboard.press("Escape");
    assert.equal((await page.locator("#matched").textContent())?.trim(), "", "the first Escape clears the search");
    assert.equal(viewPaths(shownWithPaths(await viewNodes(page))).size, expected.size, "and keeps the zoom");
    await page.keyboard.press("Escape");
    assert.deepEqual(viewPaths(await viewNodes(page)), atOpening, "unzoomed, the view shows what it showed at opening");
    const tabStops = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const stops = Array.from(document.querySelectorAll("#callercallee > rect[tabindex='0']"), (rect) => rect.getAttribute("aria-label"));
      return { stops, focused: document.activeElement?.getAttribute("aria-label") };
    });
    assert.deepEqual(tabStops, { stops: [targetLabel], focused: targetLabel }, "focus moves from the hidden callee to the zoomed frame");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("#callercallee").count(), 0);
    assertQuiet(watch);
  });
});

test("10k frames: table and caller/callee view opening times and size cost (printed, not asserted)", async () => {
  const { url, svgPath, stacks } = bigGraph();
  const watch = await openWatched(browser, url);
  const { page } = watch;
  const viewSize = (name: string) => sandwichTruth(stacks, name).paths.size + 1;
  const frameCount = await page.locator("#frames > g").count();
  assert.equal(frameCount, 1 + 1 + 100 + 100 * 10 + 100 * 100);
  await installActionTimer(page);
  const timings = await page.evaluate(async () => {
    const { document, MouseEvent, timeAction } = globalThis as unknown as PageGlobals;
    const time = timeAction!;
    const dispatch = (type: string) => (element: { dispatchEvent(event: unknown): boolean }) => element.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    const [click, contextMenu] = [dispatch("click"), dispatch("contextmenu")];
    const frames = Array.from(document.querySelectorAll("#frames > g"));
    const helper = frames.find((g) => g.querySelector("title")!.textContent!.startsWith("lib::helper3 ("))!;
    // For scale on a loaded machine: the full graph's own zoom and unzoom, timed the same way.
    const zoom = await time(() => click(frames[2].querySelector("rect")!));
    const unzoom = await time(() => click(document.querySelector("#unzoom")!));
    const table = await time(() => click(document.querySelector("#functions-control")!));
    const rows = document.querySelectorAll("#functions-panel tbody tr").length;
    const sortTotal = await time(() => click(document.querySelector("th button[data-order=total]")!));
    click(document.querySelector("#functions-control")!);
    const view = await time(() => contextMenu(helper.querySelector("rect")!));
    const viewFrames = document.querySelectorAll("#callercallee > rect").length;
    click(document.querySelector("#fullgraph")!);
    const widest = await time(() => contextMenu(frames[1].querySelector("rect")!));
    const widestFrames = document.querySelectorAll("#callercallee > rect").length;
    // Zooming the view on its first callee draws that callee's callees, too narrow to draw until then.
    const viewZoom = await time(() => click(document.querySelectorAll("#callercallee > rect")[1]));
    const drawnByZoom = document.querySelectorAll("#callercallee > rect").length - widestFrames;
    return { zoom, unzoom, table, rows, sortTotal, view, viewFrames, widest, widestFrames, viewZoom, drawnByZoom };
  });
  const svg = readFileSync(svgPath, "utf8");
  const part = (pattern: RegExp) => pattern.exec(svg)?.[0].length ?? 0;
  const data = part(/<metadata id="functions">[^<]*<\/metadata>/);
  const script = part(/<script>[\s\S]*<\/script>/);
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(
    `functions table and caller/callee view on ${frameCount} frames: open table (${timings.rows} rows) ${ms(timings.table[0])} ` +
      `(${ms(timings.table[1])} to the next painted frame), sort by total ${ms(timings.sortTotal[0])}, ` +
      `caller/callee view of lib::helper3 (${timings.viewFrames} of ${viewSize("lib::helper3")} frames drawn) ${ms(timings.view[0])} (${ms(timings.view[1])}), ` +
      `of main (${timings.widestFrames} of ${viewSize("main")} frames drawn) ${ms(timings.widest[0])} (${ms(timings.widest[1])}), ` +
      `zooming it on its first callee (${timings.drawnByZoom} frames drawn) ${ms(timings.viewZoom[0])} (${ms(timings.viewZoom[1])}); ` +
      `for scale, zooming the full graph ${ms(timings.zoom[0])} and unzooming it ${ms(timings.unzoom[0])}; ` +
      `SVG ${svg.length} bytes, functions data ${data} (${percent(data, svg.length)}), script ${script} (${percent(script, svg.length)})`,
  );
  assert.equal(timings.rows, 1 + 100 + 10 + 100);
  assertQuiet(watch);
});
