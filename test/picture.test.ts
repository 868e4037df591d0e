/**
 * What the picture shows, checked in Chromium: the search results panel
 * covers no frame, text falls back to a sans-serif font whose labels still
 * fit their frames, and a differential graph explains its colours in a
 * legend that agrees with the frames' own titles.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { assertQuiet, launchBrowser, openWatched, renderToFile } from "./support/browser.js";
import { corpusDir, repoRoot } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";
import { readFolded } from "./support/folded.js";
import { frameName } from "./support/svg.js";

const PERF_FOLDED = join(corpusDir, "flamegraph-folded", "folded", "example-perf.folded");
const GO_CPU = join(repoRoot, "samples/goprog/cpu.pprof");
const FUNCAB_BEFORE = join(corpusDir, "flamegraph-perf", "results", "perf-funcab-cmd-01-collapsed-all.txt");
const FUNCAB_AFTER = join(corpusDir, "flamegraph-perf", "results", "perf-funcab-pid-01-collapsed-all.txt");

let browser: Browser;
const scratch = scratchDir("picture");
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The slice of the DOM these page functions use (the tests compile without the DOM library). */
interface Dom {
  document: {
    querySelector(selector: string): DomElement | null;
    querySelectorAll(selector: string): ArrayLike<DomElement>;
    documentElement: DomElement;
  };
  getComputedStyle(element: DomElement): { display: string; fontFamily: string };
}
interface DomElement {
  getBoundingClientRect(): Box;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  textContent: string | null;
  getComputedTextLength?(): number;
}

/** Page boxes of the frames on show (their rectangles) and of the element `selector`, if shown. */
function boxes(page: Page, selector: string): Promise<{ frames: Box[]; element: Box | null; imageHeight: number }> {
  return page.evaluate((selector) => {
    const { document, getComputedStyle } = globalThis as unknown as Dom;
    const box = (element: DomElement) => {
      const { x, y, width, height } = element.getBoundingClientRect();
      return { x, y, width, height };
    };
    const frames = Array.from(document.querySelectorAll("#frames > g"))
      .filter((g) => getComputedStyle(g).display !== "none")
      .map((g) => box(g.querySelector("rect")!));
    const element = document.querySelector(selector);
    const shown = element !== null && getComputedStyle(element).display !== "none";
    return { frames, element: shown ? box(element) : null, imageHeight: Number(document.documentElement.getAttribute("height")) };
  }, selector);
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

for (const [kind, args] of [
  ["flame graph", [PERF_FOLDED, "--minwidth", "0"]],
  ["icicle graph", [PERF_FOLDED, "--minwidth", "0", "--inverted"]],
] as const) {
  test(`${kind}: the search results panel covers no frame, and the image gives the room back when it closes`, async () => {
    const watch = await openWatched(browser, renderToFile(join(scratch, `${kind.replace(" ", "-")}.svg`), [...args]));
    const { page } = watch;
    const closed = await boxes(page, "#results rect");
    // A term matching frames all over the graph, the top-right corner included.
    const answered = watch.expectPrompt("[a-z]");
    await page.locator("#search").click();
    await answered;
    const open = await boxes(page, "#results rect");
    assert.ok(open.element, "the panel shows");
    const covered = open.frames.filter((frame) => overlaps(frame, open.element!));
    assert.deepEqual(covered, [], "frames under the panel");
    assert.ok(open.element.y + open.element.height <= open.imageHeight, "the panel lies inside the image");
    assert.ok(open.imageHeight > closed.imageHeight, "the image grew to hold it");
    await page.locator("#matched").click();
    assert.equal((await boxes(page, "#results rect")).imageHeight, closed.imageHeight);
    assertQuiet(watch);
  });
}

test("text asks for Verdana with sans-serif fallbacks, and labels drawn in the fallback fit their frames", async () => {
  const watch = await openWatched(browser, renderToFile(join(scratch, "fonts.svg"), [GO_CPU, "--minwidth", "0"]));
  const { fontFamily, labels } = await watch.page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as Dom;
    const labels = Array.from(document.querySelectorAll("#frames > g")).flatMap((g) => {
      const text = g.querySelector("text");
      const width = Number(g.querySelector("rect")!.getAttribute("width"));
      return text ? [{ label: text.textContent ?? "", drawn: text.getComputedTextLength!(), width }] : [];
    });
    return { fontFamily: getComputedStyle(document.documentElement).fontFamily, labels };
  });
  assert.match(fontFamily, /^Verdana, .*sans-serif$/);
  assert.ok(labels.length > 20);
  // A label starts 3 px into its frame; the fallback's glyphs are no wider than Verdana's, so it ends inside.
  const overflowing = labels.filter(({ drawn, width }) => 3 + drawn > width + 1);
  assert.deepEqual(overflowing, []);
});

test("a differential graph's legend says what red, blue and the depth of colour mean, as the inputs' changes agree", async () => {
  for (const negate of [false, true]) {
    const url = renderToFile(join(scratch, `diff-${negate}.svg`), ["diff", ...(negate ? ["--negate"] : []), FUNCAB_BEFORE, FUNCAB_AFTER]);
    const watch = await openWatched(browser, url);
    const { legend, frames, details } = await watch.page.evaluate(() => {
      const { document } = globalThis as unknown as Dom;
      const legend = document.querySelector("#legend")!;
      const entries = Array.from(document.querySelectorAll("#legend rect")).map((rect, i) => ({
        fill: rect.getAttribute("fill"),
        label: document.querySelectorAll("#legend text")[i].textContent,
      }));
      const frames = Array.from(document.querySelectorAll("#frames > g")).map((g) => ({
        title: g.querySelector("title")!.textContent ?? "",
        fill: g.querySelector("rect")!.getAttribute("fill") ?? "",
        box: g.querySelector("rect")!.getBoundingClientRect(),
      }));
      const note = document.querySelectorAll("#legend text")[3].textContent;
      return { legend: { entries, note, box: legend.getBoundingClientRect() }, frames, details: document.querySelector("#details")!.getBoundingClientRect() };
    });
    const [red, blue] = ["rgb(255,0,0)", "rgb(0,0,255)"];
    assert.deepEqual(legend.entries, [
      { fill: negate ? blue : red, label: "grew" },
      { fill: negate ? red : blue, label: "shrank" },
      { fill: "rgb(255,255,255)", label: "unchanged" },
    ]);
    assert.match(legend.note ?? "", /deeper colour: larger change/);
    // Every coloured frame's colour is the sign of its own (self) change between the inputs, read from the files here.
    const selfChange = new Map<string, number>();
    for (const [file, sign] of [[FUNCAB_AFTER, 1], [FUNCAB_BEFORE, -1]] as const) {
      for (const { frames: stack, count } of readFolded(file)) selfChange.set(stack[stack.length - 1], (selfChange.get(stack[stack.length - 1]) ?? 0) + sign * count);
    }
    let checked = 0;
    for (const frame of frames.slice(1)) {
      const [r, g, b] = frame.fill.match(/\d+/g)!.map(Number);
      if (r === g && g === b) continue;
      const shownAsGrown = (r === 255 && b < 255) !== negate;
      const name = frameName(frame.title);
      assert.equal(shownAsGrown, (selfChange.get(name) ?? 0) > 0, `${name}: ${frame.fill}, self change ${selfChange.get(name)}`);
      checked++;
    }
    assert.ok(checked >= 2, "coloured frames were checked");
    // The legend is a line of its own, below the frames and the details line.
    for (const frame of frames) assert.ok(!overlaps(frame.box, legend.box), "a frame under the legend");
    assert.ok(!overlaps(details, legend.box), "the details line under the legend");
    assertQuiet(watch);
  }
});
