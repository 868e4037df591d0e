/**
 * torch SVGs in a real browser (Chromium through playwright-core): SVGs made
 * by the built CLI from real samples, loaded from file:// and driven like a
 * user would, checked against truth computed here from the folded stacks and
 * from the static geometry the SVG was written with.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_OPTIONS, paddings } from "torch-flamegraph";
import {
  assertQuiet,
  distinctColours,
  installActionTimer,
  launchBrowser,
  openWatched,
  readFrames,
  renderToFile,
  type FrameState,
  type PageGlobals,
  type PageWatch,
} from "./support/browser.js";
import { repoRoot, runCli } from "./support/cli.js";
import { parseFolded, readFolded, type FoldedStack } from "./support/folded.js";
import { scratchDir } from "./support/scratch.js";

const PERF_FOLDED = join(repoRoot, "test/fixtures/corpus/flamegraph-folded/folded/example-perf.folded");
const GO_CPU = join(repoRoot, "samples/goprog/cpu.pprof");
/** The CLI's default geometry: 1200 px wide, 10 px side margins, 16 px rows, labels at 12 px x 0.59. */
const PAD = paddings(DEFAULT_OPTIONS).padSide;
const USABLE_WIDTH = DEFAULT_OPTIONS.width - 2 * PAD;
const FRAME_HEIGHT = DEFAULT_OPTIONS.frameHeight;
const GLYPH_WIDTH = DEFAULT_OPTIONS.fontSize * DEFAULT_OPTIONS.fontWidth;

let browser: Browser;
const scratch = scratchDir("browser");
const perfStacks = readFolded(PERF_FOLDED);
let perfSvg: string;

before(async () => {
  browser = await launchBrowser();
  // Every frame kept, so the graph holds exactly the folded stacks.
  perfSvg = renderToFile(join(scratch, "perf.svg"), [PERF_FOLDED, "--minwidth", "0"]);
});
after(async () => {
  await browser?.close();
});

// ---- independent truth ----

const sum = (stacks: FoldedStack[]) => stacks.reduce((total, stack) => total + stack.count, 0);
const percentOf = (part: number, whole: number) => ((100 * part) / whole).toFixed(2);

/** A frame's title as flamegraph.pl writes it: `name (1,234 samples, 5.67%)`, the root at `100%`. */
function expectedTitle(name: string, count: number, total: number): string {
  const share = count === total ? "100" : percentOf(count, total);
  return `${name} (${count.toLocaleString("en-US")} samples, ${share}%)`;
}

/** flamegraph.pl's label rule: as many characters as fit at the average glyph width, cut names end in "..". */
function expectedLabel(name: string, widthPx: number): string {
  const chars = Math.floor(widthPx / GLYPH_WIDTH);
  if (chars < 3) return "";
  return name.length <= chars ? name : name.slice(0, chars - 2) + "..";
}

interface SearchTruth {
  matchedPercent: string;
  /** Distinct call paths (graph frames) whose name matches. */
  matchingFrames: number;
  /** Per name: the samples of the stacks holding it, each stack once however often the name recurs. */
  byName: Map<string, number>;
}

function searchTruth(stacks: FoldedStack[], pattern: RegExp): SearchTruth {
  let matched = 0;
  const paths = new Set<string>();
  const byName = new Map<string, number>();
  for (const { frames, count } of stacks) {
    const path = ["all", ...frames];
    const names = new Set(path.filter((name) => pattern.test(name)));
    if (names.size > 0) matched += count;
    for (const name of names) byName.set(name, (byName.get(name) ?? 0) + count);
    path.forEach((name, depth) => {
      if (pattern.test(name)) paths.add(path.slice(0, depth + 1).join(";"));
    });
  }
  return { matchedPercent: percentOf(matched, sum(stacks)), matchingFrames: paths.size, byName };
}

/** Rows from the root, from the static geometry. */
function depthOf(frame: FrameState, root: FrameState): number {
  return Math.round(Math.abs(frame.y - root.y) / FRAME_HEIGHT);
}

/** How `target`'s relatives relate to it, from the static geometry: value ranges nest, rows say which way. */
function relation(frame: FrameState, target: FrameState, root: FrameState): "self" | "descendant" | "ancestor" | "other" {
  if (frame.index === target.index) return "self";
  const depth = depthOf(frame, root);
  const targetDepth = depthOf(target, root);
  const inside = (inner: FrameState, outer: FrameState) => inner.start >= outer.start && inner.start + inner.value <= outer.start + outer.value;
  if (depth > targetDepth && inside(frame, target)) return "descendant";
  if (depth < targetDepth && inside(target, frame)) return "ancestor";
  return "other";
}

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 0.1, `${what}: ${actual} is not ${expected}`);
}

// ---- driving the page ----

function frameRect(page: Page, index: number) {
  return page.locator("#frames > g").nth(index).locator("rect");
}

async function textOf(page: Page, selector: string): Promise<string | null> {
  return page.locator(selector).textContent();
}

async function searchFor(watch: PageWatch, term: string, open: () => Promise<void>): Promise<string> {
  const prompted = watch.expectPrompt(term);
  await open();
  return prompted;
}

async function resultLines(page: Page): Promise<string[]> {
  return page.locator("#results text").allTextContents();
}

function assertZoomedOn(frames: FrameState[], before: FrameState[], target: FrameState): void {
  const root = before[0];
  const scale = USABLE_WIDTH / target.value;
  for (const frame of frames) {
    const kind = relation(before[frame.index], target, root);
    const what = `${kind} frame ${frame.index} (${frame.title})`;
    if (kind === "self" || kind === "descendant") {
      assert.ok(frame.shown && !frame.classes.includes("parent"), `${what} is shown plainly`);
      assertClose(frame.x, PAD + (frame.start - target.start) * scale, `${what} x`);
      assertClose(frame.width, frame.value * scale, `${what} width`);
    } else if (kind === "ancestor") {
      assert.ok(frame.shown && frame.classes.includes("parent"), `${what} is dimmed`);
      assertClose(frame.width, USABLE_WIDTH, `${what} width`);
    } else {
      assert.ok(!frame.shown && frame.classes.includes("hide"), `${what} is hidden`);
    }
  }
}

describe("flame graph in Chromium", () => {
  test("click zooms: the frame spans the usable width, ancestors dim, the rest hides; Reset Zoom restores", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const before = await readFrames(page);
    const root = before[0];
    // The widest frame three rows up, with relatives of every kind.
    const target = before.filter((frame) => depthOf(frame, root) === 3).sort((a, b) => b.value - a.value)[0];
    await frameRect(page, target.index).click();

    const zoomed = await readFrames(page);
    assertClose(zoomed[target.index].x, PAD, "zoomed frame x");
    assertClose(zoomed[target.index].width, USABLE_WIDTH, "zoomed frame width");
    assertZoomedOn(zoomed, before, target);
    assert.equal(zoomed.filter((frame) => frame.classes.includes("parent")).length, 3);
    assert.ok(zoomed.some((frame) => !frame.shown), "something was hidden");
    assert.equal(await page.locator("#unzoom").isVisible(), true);
    // Labels refit to the new widths, including frames that were too narrow for one.
    for (const frame of zoomed.filter((f) => f.shown)) {
      const width = frame.classes.includes("parent") ? USABLE_WIDTH : (frame.value * USABLE_WIDTH) / target.value;
      assert.equal(frame.label ?? "", expectedLabel(frame.name, width), `label of ${frame.name}`);
    }
    assert.ok(zoomed.some((frame) => frame.shown && frame.label && before[frame.index].label === null), "some frames gained a label");

    await page.locator("#unzoom").click();
    const restored = await readFrames(page);
    restored.forEach((frame, i) => {
      assert.ok(frame.shown && frame.classes.length === 0, `frame ${i} is back to normal`);
      assertClose(frame.x, before[i].x, `frame ${i} x`);
      assertClose(frame.width, before[i].width, `frame ${i} width`);
      assert.equal(frame.label ?? "", before[i].label ?? "", `frame ${i} label`);
    });
    assert.equal(await page.locator("#unzoom").isVisible(), false);
    assertQuiet(watch);
  });

  test("hovering a frame shows its details; leaving clears them", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const frames = await readFrames(page);
    const wrk = frames.find((frame) => frame.name === "wrk" && depthOf(frame, frames[0]) === 1)!;
    const total = sum(perfStacks);
    const wrkCount = sum(perfStacks.filter((stack) => stack.frames[0] === "wrk"));

    await frameRect(page, wrk.index).hover();
    assert.equal(await textOf(page, "#details"), `Function: ${expectedTitle("wrk", wrkCount, total)}`);
    await frameRect(page, 0).hover();
    assert.equal(await textOf(page, "#details"), `Function: ${expectedTitle("all", total, total)}`);
    await page.mouse.move(1, 1);
    assert.equal((await textOf(page, "#details"))?.trim(), "");
    assertQuiet(watch);
  });

  test("search highlights matches, reports Matched: x% with nested matches counted once, lists top names, and clears", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const term = "^sys|fastpath$";
    const truth = searchTruth(perfStacks, new RegExp(term));
    const perFrameSum = (await readFrames(page)).filter((f) => new RegExp(term).test(f.name)).reduce((total, f) => total + f.value, 0);
    const matchedValue = (Number(truth.matchedPercent) * sum(perfStacks)) / 100;
    assert.ok(perFrameSum > matchedValue + 1, "the term has matches nested in matches");

    const message = await searchFor(watch, term, () => page.locator("#search").click());
    assert.match(message, /search term/);
    assert.equal(await textOf(page, "#matched"), `Matched: ${truth.matchedPercent}%`);
    const frames = await readFrames(page);
    assert.equal(frames.filter((frame) => frame.classes.includes("match")).length, truth.matchingFrames);
    assert.equal(await textOf(page, "#search"), "Reset Search");

    // The results panel: distinct names, widest first, each with its share of the total.
    const expected = [...truth.byName]
      .sort(([a, va], [b, vb]) => vb - va || (a < b ? -1 : 1))
      .slice(0, 10)
      .map(([name, value]) => `${percentOf(value, sum(perfStacks))}% ${name}`);
    const lines = await resultLines(page);
    assert.equal(lines[0], `Top matches (${truth.byName.size} names)`);
    assert.equal(lines.length, expected.length + 1);
    lines.slice(1).forEach((line, i) => {
      assert.ok(line === expected[i] || (line.endsWith("..") && expected[i].startsWith(line.slice(0, -2))), `${line} reads ${expected[i]}`);
    });
    assert.equal(await page.locator("#results").isVisible(), true);
    await page.locator("#matched").click();
    assert.equal(await page.locator("#results").isVisible(), false, "the Matched line hides the list");
    await page.locator("#matched").click();
    assert.equal(await page.locator("#results").isVisible(), true, "and shows it again");
    await page.locator("#results").click();
    assert.equal(await page.locator("#results").isVisible(), false, "clicking the list hides it");
    await page.locator("#ignorecase").click();
    await page.locator("#ignorecase").click();
    assert.equal(await page.locator("#results").isVisible(), false, "and it stays hidden while the search refreshes");

    await page.locator("#search").click();
    assert.equal(await page.locator("#frames > g.match").count(), 0);
    assert.equal((await textOf(page, "#matched"))?.trim(), "");
    assert.equal(await textOf(page, "#search"), "Search");
    assert.equal(await page.locator("#results").isVisible(), false);

    await searchFor(watch, "(", () => page.locator("#search").click());
    assert.equal(await textOf(page, "#matched"), "Invalid regular expression");
    assertQuiet(watch);
  });

  test("the ic toggle makes the search ignore case", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    await searchFor(watch, "SYS_", () => page.locator("#search").click());
    assert.equal(await textOf(page, "#matched"), "Matched: 0.00%");
    await page.locator("#ignorecase").click();
    const truth = searchTruth(perfStacks, /SYS_/i);
    assert.notEqual(truth.matchedPercent, "0.00");
    assert.equal(await textOf(page, "#matched"), `Matched: ${truth.matchedPercent}%`);
    assert.equal(await page.locator("#ignorecase").getAttribute("aria-pressed"), "true");
    await page.locator("#ignorecase").click();
    assert.equal(await textOf(page, "#matched"), "Matched: 0.00%");
    assertQuiet(watch);
  });

  test("Ctrl-F and / open the search, Escape clears the search and then the zoom", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const frames = await readFrames(page);
    await frameRect(page, frames.find((frame) => frame.name === "java")!.index).click();
    const javaTruth = searchTruth(perfStacks, /java/);

    await searchFor(watch, "java", () => page.keyboard.press("Control+f"));
    assert.equal(await textOf(page, "#matched"), `Matched: ${javaTruth.matchedPercent}%`);
    await page.keyboard.press("Escape");
    assert.equal((await textOf(page, "#matched"))?.trim(), "");
    assert.equal(await page.locator("#frames > g.hide").count() > 0, true, "still zoomed");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("#frames > g.hide").count(), 0, "unzoomed");

    await searchFor(watch, "wrk", () => page.keyboard.press("/"));
    assert.equal(await textOf(page, "#matched"), `Matched: ${searchTruth(perfStacks, /wrk/).matchedPercent}%`);
    assertQuiet(watch);
  });

  test("the view state lives in the URL fragment and a link reopens it", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const frames = await readFrames(page);
    const target = frames.find((frame) => frame.name === "swapper")!;
    await frameRect(page, target.index).click();
    await page.locator("#ignorecase").click();
    await searchFor(watch, "CPU_idle", () => page.locator("#search").click());
    const matched = await textOf(page, "#matched");
    assert.equal(matched, `Matched: ${searchTruth(perfStacks, /CPU_idle/i).matchedPercent}%`);
    const hash = new URL(page.url()).hash;
    assert.equal(new URLSearchParams(hash.slice(1)).get("zoom"), String(target.index));
    assert.equal(new URLSearchParams(hash.slice(1)).get("search"), "CPU_idle");
    assert.equal(new URLSearchParams(hash.slice(1)).get("ic"), "1");

    const reopened = await openWatched(browser, page.url());
    const state = await readFrames(reopened.page);
    assertClose(state[target.index].width, USABLE_WIDTH, "reopened zoom");
    assertZoomedOn(state, frames, target);
    assert.equal(await textOf(reopened.page, "#matched"), matched);
    assert.equal(await reopened.page.locator("#ignorecase").getAttribute("aria-pressed"), "true");

    // Clearing everything leaves a plain URL; nonsense in a link is ignored.
    await reopened.page.keyboard.press("Escape");
    await reopened.page.keyboard.press("Escape");
    await reopened.page.locator("#ignorecase").click();
    assert.equal(new URL(reopened.page.url()).hash, "");
    const nonsense = await openWatched(browser, `${perfSvg}#zoom=999999&search=(`);
    assert.equal(await nonsense.page.locator("#frames > g.hide").count(), 0);
    assert.equal(await textOf(nonsense.page, "#matched"), "Invalid regular expression");
    for (const each of [watch, reopened, nonsense]) assertQuiet(each);
  });

  test("keyboard: Tab enters the graph, arrows walk the tree, Enter zooms; frames carry accessible names", async () => {
    const watch = await openWatched(browser, perfSvg);
    const { page } = watch;
    const frames = await readFrames(page);
    const root = frames[0];
    const total = sum(perfStacks);
    assert.equal(await page.locator("svg").first().getAttribute("aria-label"), "Flame Graph");
    for (const frame of frames) assert.equal(frame.role, "button");
    const topLevel = new Map<string, number>();
    for (const stack of perfStacks) topLevel.set(stack.frames[0], (topLevel.get(stack.frames[0]) ?? 0) + stack.count);
    const children = frames.filter((frame) => depthOf(frame, root) === 1).sort((a, b) => a.start - b.start);
    for (const child of children) {
      assert.equal(child.ariaLabel, `${child.name}, ${topLevel.get(child.name)!.toLocaleString("en-US")} samples, ${percentOf(topLevel.get(child.name)!, total)}%`);
    }

    const focused = () =>
      page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
        const g = document.activeElement?.closest("#frames > g");
        if (!g) return null;
        return { index: Array.from(document.querySelectorAll("#frames > g")).indexOf(g), stroke: getComputedStyle(g.querySelector("rect")!).strokeWidth };
      });
    let presses = 0;
    while ((await focused()) === null && presses < 10) {
      await page.keyboard.press("Tab");
      presses++;
    }
    assert.deepEqual(await focused(), { index: 0, stroke: "2px" }, "Tab lands on the root, outlined");
    assert.equal(await textOf(page, "#details"), `Function: ${root.title}`);

    await page.keyboard.press("ArrowUp");
    assert.equal((await focused())?.index, children[0].index, "up: first child");
    await page.keyboard.press("ArrowRight");
    assert.equal((await focused())?.index, children[1].index, "right: next sibling");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowLeft");
    assert.equal((await focused())?.index, children[1].index, "left: previous sibling");
    await page.keyboard.press("ArrowDown");
    assert.equal((await focused())?.index, 0, "down: parent");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    const zoomed = await readFrames(page);
    assertZoomedOn(zoomed, frames, children[1]);
    assert.equal((await focused())?.index, children[1].index, "focus stays on the zoomed frame");
    await page.keyboard.press("ArrowLeft");
    assert.equal((await focused())?.index, children[1].index, "hidden siblings are skipped");
    await page.keyboard.press("ArrowDown");
    assert.equal((await focused())?.index, 0, "the dimmed parent is reachable");
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("#frames > g.hide").count(), 0, "Enter on the root unzooms");
    assertQuiet(watch);
  });

  test("icicle graph (--inverted): root on top, zoom and arrows follow it", async () => {
    const url = renderToFile(join(scratch, "icicle.svg"), [GO_CPU, "--inverted"]);
    const watch = await openWatched(browser, url);
    const { page } = watch;
    const frames = await readFrames(page);
    const root = frames[0];
    assert.ok(frames.slice(1).every((frame) => frame.y > root.y), "every frame hangs below the root");
    assert.equal(await textOf(page, "#title"), "Icicle Graph");
    const target = frames.filter((frame) => depthOf(frame, root) === 2).sort((a, b) => b.value - a.value)[0];
    await frameRect(page, target.index).click();
    assertZoomedOn(await readFrames(page), frames, target);

    // The zoomed frame is the graph's tab stop; down leads to its first child.
    const focusedIndex = () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return Array.from(document.querySelectorAll("#frames > g")).indexOf(document.activeElement!);
      });
    await page.locator("#frames > g").nth(target.index).focus();
    assert.equal(await focusedIndex(), target.index);
    await page.keyboard.press("ArrowDown");
    const child = frames[await focusedIndex()];
    assert.equal(relation(child, target, root), "descendant");
    assert.equal(depthOf(child, root), 3);
    await page.keyboard.press("ArrowUp");
    assert.equal(await focusedIndex(), target.index);
    assertQuiet(watch);
  });

  test("long names are cut with '..' to the width they get, before and after zooming", async () => {
    const longName = Array.from({ length: 30 }, (_, i) => `segment${i}`).join(".");
    const input = join(scratch, "long.folded");
    writeFileSync(input, `main;${longName};leaf 60\nmain;short 39\nmain;tiny 1\n`);
    const watch = await openWatched(browser, renderToFile(join(scratch, "long.svg"), [input, "--minwidth", "0"]));
    const { page } = watch;
    const total = 100;
    const frames = await readFrames(page);
    for (const frame of frames) {
      assert.equal(frame.label ?? "", expectedLabel(frame.name, (frame.value / total) * USABLE_WIDTH), `label of ${frame.name}`);
    }
    const long = frames.find((frame) => frame.name === longName)!;
    assert.ok(long.label!.endsWith("..") && long.label!.length < longName.length);
    const overflowing = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return Array.from(document.querySelectorAll("#frames > g"))
        .filter((g) => {
          const text = g.querySelector("text");
          return text && text.getBoundingClientRect().right > g.querySelector("rect")!.getBoundingClientRect().right;
        })
        .map((g) => g.querySelector("text")!.textContent);
    });
    assert.deepEqual(overflowing, [], "labels stay inside their frames in the fonts Chromium has");
    assert.equal(frames.find((frame) => frame.name === "tiny")!.label, null, "too narrow for a label");

    await frameRect(page, long.index).click();
    const zoomed = (await readFrames(page))[long.index];
    assert.equal(zoomed.label, expectedLabel(longName, USABLE_WIDTH));
    assert.equal(zoomed.label, longName.slice(0, Math.floor(USABLE_WIDTH / GLYPH_WIDTH) - 2) + "..");
    await frameRect(page, frames.find((frame) => frame.name === "main")!.index).click();
    await frameRect(page, frames.find((frame) => frame.name === "tiny")!.index).click();
    assert.equal((await readFrames(page))[frames.find((frame) => frame.name === "tiny")!.index].label, "tiny");
    assertQuiet(watch);
  });

  test("10k frames stay responsive (timings printed, not asserted)", async () => {
    const lines: string[] = [];
    for (let module = 0; module < 100; module++) {
      for (let fn = 0; fn < 100; fn++) lines.push(`main;module${module}::run;module${module}::fn${fn} ${1 + ((module * 7 + fn * 13) % 17)}`);
    }
    const input = join(scratch, "big.folded");
    writeFileSync(input, lines.join("\n") + "\n");
    const watch = await openWatched(browser, renderToFile(join(scratch, "big.svg"), [input, "--minwidth", "0"]));
    const { page } = watch;
    const frameCount = await page.locator("#frames > g").count();
    assert.equal(frameCount, 1 + 1 + 100 + 100 * 100);

    await installActionTimer(page);
    const timings = await page.evaluate(async () => {
      const { document, performance, MouseEvent, timeAction } = globalThis as unknown as PageGlobals;
      const page = globalThis as unknown as PageGlobals;
      const frames = document.querySelectorAll("#frames > g");
      /** Script plus style and layout (forced), then until the next painted frame. */
      const time = timeAction!;
      const click = (element: { dispatchEvent(event: unknown): boolean }) => element.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      page.prompt = () => "fn1[0-9]$";
      const load = performance.getEntriesByType("navigation")[0].duration;
      // Zooming on one module hides the 99 others' frames and re-places its own.
      const zoom = await time(() => click(frames[2].querySelector("rect")!));
      const search = await time(() => click(document.querySelector("#search")!));
      const reset = await time(() => click(document.querySelector("#unzoom")!));
      return { load, zoom, search, reset, matched: document.querySelector("#matched")!.textContent };
    });
    const ms = (value: number) => `${Math.round(value)} ms`;
    console.log(
      `browser timings on ${frameCount} frames: load ${ms(timings.load)}, zoom ${ms(timings.zoom[0])}, search ${ms(timings.search[0])}, ` +
        `reset zoom ${ms(timings.reset[0])} (script + style/layout; to the next painted frame: zoom ${ms(timings.zoom[1])}, ` +
        `search ${ms(timings.search[1])}, reset zoom ${ms(timings.reset[1])})`,
    );
    const big = parseFolded(lines.join("\n"));
    assert.equal(timings.matched, `Matched: ${searchTruth(big, /fn1[0-9]$/).matchedPercent}%`);
    assertQuiet(watch);
  });

  test("with scripts disabled the graph still renders: frames, labels, titles", async () => {
    const watch = await openWatched(browser, perfSvg, { javaScriptEnabled: false });
    const { page } = watch;
    const frames = await readFrames(page);
    assert.equal(frames.length, new Set(perfStacks.flatMap(({ frames: path }) => path.map((_, depth) => path.slice(0, depth + 1).join(";")))).size + 1);
    assert.ok(frames.every((frame) => frame.title !== "" && frame.shown));
    assert.ok(frames.every((frame) => frame.role === null), "the viewer did not run");
    assert.ok(frames.filter((frame) => frame.label).length > 100, "labels are drawn");
    assert.equal(await textOf(page, "#title"), "Flame Graph");
    assert.ok((await distinctColours(browser, await page.screenshot())) > 50, "the screenshot shows a coloured graph");
    assertQuiet(watch);
  });

  test("static inside <img>, interactive inside <object>", async () => {
    const svgPath = join(scratch, "embedded.svg");
    const svgUrl = renderToFile(svgPath, [GO_CPU]);
    const htmlPath = join(scratch, "embed.html");
    writeFileSync(
      htmlPath,
      '<!doctype html><html><body style="margin:0">' +
        '<img id="image" src="embedded.svg" alt="flame graph" style="display:block">' +
        '<object id="object" data="embedded.svg" type="image/svg+xml" style="display:block"></object></body></html>',
    );
    const htmlUrl = pathToFileURL(htmlPath).href;
    const watch = await openWatched(browser, htmlUrl, { allowedUrls: [htmlUrl, svgUrl], viewport: { width: 1300, height: 2400 } });
    const { page } = watch;

    assert.equal(await page.locator("#image").evaluate((image) => image.naturalWidth), DEFAULT_OPTIONS.width);
    assert.ok((await distinctColours(browser, await page.locator("#image").screenshot())) > 20, "the <img> shows the graph");

    const embedded = page.frames().find((frame) => frame.url().startsWith(svgUrl))!;
    assert.ok(embedded, "the <object> has its own document");
    await embedded.waitForSelector('#frames > g[role="button"]');
    const before = await readFrames(embedded);
    const target = before.filter((frame) => depthOf(frame, before[0]) === 2).sort((a, b) => b.value - a.value)[0];
    // Click like a user, at the frame's place on the page (boxes of embedded frames are in page coordinates).
    const rectBox = (await embedded.locator("#frames > g").nth(target.index).locator("rect").boundingBox())!;
    await page.mouse.click(rectBox.x + rectBox.width / 2, rectBox.y + rectBox.height / 2);
    assertZoomedOn(await readFrames(embedded), before, target);
    assert.equal(new URL(page.url()).hash, "", "the page's own URL is untouched");
    assertQuiet(watch);
  });

  test("hostile names stay text: the SVG parses, nothing runs, no dialog opens", async () => {
    const hostile = [
      "</script><script>window.pwned=1</script>",
      "]]><script>window.pwned=2</script>",
      "<svg onload=alert(1)>",
      '<svg onload="window.pwned=3">',
      '<img src=x onerror="window.pwned=4">',
      "javascript:window.pwned=5",
      '" onmouseover="window.pwned=6',
      "\u202Eevil\u202C",
      "nul\u0000ctl\u0001\u001b[31m",
      "x".repeat(10240),
    ];
    const input = join(scratch, "hostile.folded");
    writeFileSync(input, hostile.map((name, i) => `main;${name};leaf${i} ${10 + i}\n`).join(""));
    const url = renderToFile(join(scratch, "hostile.svg"), ["--format", "folded", input, "--minwidth", "0"]);
    const watch = await openWatched(browser, url);
    const { page } = watch;

    const structure = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const all = Array.from(document.querySelectorAll("*"));
      return {
        root: document.documentElement.localName,
        parseErrors: document.querySelectorAll("parsererror").length,
        scripts: document.querySelectorAll("script").length,
        links: document.querySelectorAll("a").length,
        handlers: all.flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith("on"))),
      };
    });
    assert.deepEqual(structure, { root: "svg", parseErrors: 0, scripts: 1, links: 0, handlers: [] });

    const frames = await readFrames(page);
    assert.equal(frames.length, 2 + 2 * hostile.length);
    const unsafe = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e]/;
    for (const frame of frames) assert.ok(!unsafe.test(frame.title), `control characters are shown escaped: ${JSON.stringify(frame.title.slice(0, 60))}`);
    for (const name of hostile.filter((n) => !unsafe.test(n))) {
      assert.ok(frames.some((frame) => frame.name === name), `${name.slice(0, 40)} reads verbatim`);
    }
    const huge = frames.find((frame) => frame.name === hostile[hostile.length - 1])!;
    assert.ok(huge.label === null || huge.label.endsWith(".."));

    // Drive every frame: hover, zoom and back, then search and list the hostile names.
    for (const frame of frames) {
      await frameRect(page, frame.index).hover({ force: true });
      assert.equal(await textOf(page, "#details"), `Function: ${frame.title}`);
      await frameRect(page, frame.index).click({ force: true });
      await page.keyboard.press("Escape");
    }
    await frameRect(page, huge.index).click({ force: true });
    assert.equal((await readFrames(page))[huge.index].label, expectedLabel(huge.name, USABLE_WIDTH));
    await searchFor(watch, "script|svg|javascript|onmouseover", () => page.keyboard.press("/"));
    const listed = await resultLines(page);
    assert.ok(listed.some((line) => line.endsWith("% javascript:window.pwned=5")), "names are listed as text");
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned), undefined);
    assertQuiet(watch);
  });
});

test("an SVG is the same bytes every time it is made", () => {
  assert.equal(runCli([GO_CPU]).stdout, runCli([GO_CPU]).stdout);
});
