/**
 * Shared plumbing for tests that drive torch SVGs in Chromium: launching the
 * browser, producing SVGs with the built CLI, watching a page for anything
 * it should never do (console errors, network requests, dialogs).
 */
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type BrowserContextOptions, type Dialog, type Page } from "playwright-core";
import { runCli } from "./cli.js";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Writes the SVG for `inputs` (plus CLI options) to `outputPath` and returns its file:// URL. */
export function renderToFile(outputPath: string, args: string[]): string {
  const run = runCli([...args, "-o", outputPath]);
  assert.equal(run.status, 0, run.stderr);
  return pathToFileURL(outputPath).href;
}

/**
 * The little of the DOM that functions passed to `page.evaluate` use. The
 * tests compile without the DOM library (it would retype Node's globals), so
 * page functions start with `const { document } = globalThis as unknown as PageGlobals`.
 */
export interface PageElement {
  readonly localName: string;
  readonly textContent: string | null;
  readonly classList: { contains(name: string): boolean; readonly length: number };
  getAttribute(name: string): string | null;
  getAttributeNames(): string[];
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  closest(selector: string): PageElement | null;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number; right: number };
  dispatchEvent(event: unknown): boolean;
}

export interface PageGlobals {
  document: {
    readonly documentElement: PageElement;
    readonly activeElement: PageElement | null;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    createElement(tag: "canvas"): PageCanvas;
  };
  location: { readonly hash: string };
  performance: { now(): number; getEntriesByType(type: "navigation"): { duration: number }[] };
  requestAnimationFrame(callback: () => void): number;
  getComputedStyle(element: PageElement): { display: string; strokeWidth: string };
  prompt: (message?: string, value?: string) => string | null;
  MouseEvent: new (type: string, init: { bubbles: boolean }) => unknown;
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
  /** Set by hostile names if any of them ever ran as script. */
  pwned?: unknown;
  /** Installed by `installActionTimer`. */
  timeAction?: (action: () => void) => Promise<[number, number]>;
}

/**
 * Defines `timeAction` in the page: it runs an action, forces style and
 * layout, then waits for the next painted frame, and resolves to the
 * milliseconds until laid out and until painted.
 */
export function installActionTimer(page: Pick<Page, "evaluate">): Promise<void> {
  return page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const { document, performance, requestAnimationFrame } = page;
    const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    page.timeAction = async (action) => {
      const start = performance.now();
      action();
      document.documentElement.getBoundingClientRect();
      const laidOut = performance.now() - start;
      await nextFrame();
      return [laidOut, performance.now() - start];
    };
  });
}

interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: "2d"): { drawImage(image: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** One frame of a torch SVG as the page shows it. */
export interface FrameState {
  /** Position among the frames (the viewer's zoom id). */
  index: number;
  title: string;
  /** The name part of the title. */
  name: string;
  /** data-x and data-v: start and value in value units. */
  start: number;
  value: number;
  x: number;
  y: number;
  width: number;
  label: string | null;
  classes: string[];
  /** Rendered (not display: none). */
  shown: boolean;
  role: string | null;
  ariaLabel: string | null;
}

/** Every frame of the SVG loaded in `page` (or in one of its frames, e.g. an <object>). */
export function readFrames(page: Pick<Page, "evaluate">): Promise<FrameState[]> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    return Array.from(document.querySelectorAll("#frames > g"), (g, index) => {
      const rect = g.querySelector("rect")!;
      const title = g.querySelector("title")?.textContent ?? "";
      const number = (element: PageElement, name: string) => Number(element.getAttribute(name));
      return {
        index,
        title,
        name: title.slice(0, title.lastIndexOf(" (")),
        start: number(g, "data-x"),
        value: number(g, "data-v"),
        x: number(rect, "x"),
        y: number(rect, "y"),
        width: number(rect, "width"),
        label: g.querySelector("text")?.textContent ?? null,
        classes: (g.getAttribute("class") ?? "").split(" ").filter(Boolean),
        shown: getComputedStyle(g).display !== "none",
        role: g.getAttribute("role"),
        ariaLabel: g.getAttribute("aria-label"),
      };
    });
  });
}

/** What a page did that a flame graph never should, recorded as it happens. */
export interface PageWatch {
  page: Page;
  consoleErrors: string[];
  /** Every request except for the documents the test itself loaded. */
  requests: string[];
  /** Dialogs nobody asked for (see `expectPrompt`). */
  unexpectedDialogs: string[];
  /** Answers the next prompt with `answer`; resolves with the prompt's message. */
  expectPrompt(answer: string): Promise<string>;
}

/**
 * Opens a fresh context and page that records console errors, page errors,
 * requests other than `allowedUrls` (compared without the fragment) and
 * dialogs, then loads `url`.
 */
export async function openWatched(browser: Browser, url: string, options: BrowserContextOptions & { allowedUrls?: string[] } = {}): Promise<PageWatch> {
  const { allowedUrls = [url], ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const withoutFragment = (address: string) => address.split("#")[0];
  const allowed = new Set(allowedUrls.map(withoutFragment));
  const watch: PageWatch = {
    page,
    consoleErrors: [],
    requests: [],
    unexpectedDialogs: [],
    expectPrompt(answer) {
      return new Promise((resolve) => {
        pendingPrompts.push((dialog) => {
          resolve(dialog.message());
          return dialog.accept(answer);
        });
      });
    },
  };
  const pendingPrompts: ((dialog: Dialog) => Promise<void>)[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") watch.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => watch.consoleErrors.push(String(error)));
  page.on("request", (request) => {
    if (!allowed.has(withoutFragment(request.url()))) watch.requests.push(request.url());
  });
  page.on("dialog", (dialog) => {
    const handler = dialog.type() === "prompt" ? pendingPrompts.shift() : undefined;
    if (handler) return void handler(dialog);
    watch.unexpectedDialogs.push(`${dialog.type()}: ${dialog.message()}`);
    return void dialog.dismiss();
  });
  await page.goto(url);
  return watch;
}

/** The page stayed quiet: no console errors, no requests, no unasked-for dialogs. */
export function assertQuiet(watch: PageWatch): void {
  const { consoleErrors, requests, unexpectedDialogs } = watch;
  assert.deepEqual({ consoleErrors, requests, unexpectedDialogs }, { consoleErrors: [], requests: [], unexpectedDialogs: [] });
}

/** How many distinct colours a PNG shows, counted on a canvas in a blank page (no file access needed). */
export async function distinctColours(browser: Browser, png: Buffer): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (base64) => {
      const { document, Image } = globalThis as unknown as PageGlobals;
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      return colours.size;
    }, png.toString("base64"));
  } finally {
    await page.close();
  }
}
