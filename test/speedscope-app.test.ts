/**
 * `--speedscope FILE` opens in speedscope itself: the web app shipped in the
 * npm package `speedscope`, served from a local server to headless Chromium
 * (no other network), loads the file and its sandwich view lists every
 * function with the self and total that `torch --folded` of the same input
 * gives.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { assertQuiet, launchBrowser, openWatched, type PageGlobals } from "./support/browser.js";
import { runCli } from "./support/cli.js";
import { parseFolded } from "./support/folded.js";
import { functionTruth } from "./support/function-truth.js";
import { serve, type LocalServer } from "./support/local-server.js";
import { scratchDir } from "./support/scratch.js";

const appDir = join(dirname(createRequire(import.meta.url).resolve("speedscope/package.json")), "dist/release");
const CONTENT_TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".wasm": "application/wasm" };
const INPUT = "samples/goprog/cpu.folded";
const scratch = scratchDir("speedscope-app");
const profilePath = join(scratch, "profile.json");

let browser: Browser;
let server: LocalServer;

before(async () => {
  const run = runCli([INPUT, "--speedscope", profilePath]);
  assert.equal(run.status, 0, run.stderr);
  server = await serve((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const file = path === "/profile.json" ? profilePath : join(appDir, path === "/" ? "index.html" : path.slice(1));
    try {
      const body = readFileSync(file);
      response.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test("speedscope's own sandwich view shows every function with the self and total of the folded stacks", async () => {
  const truth = functionTruth(parseFolded(runCli([INPUT, "--folded"]).stdout));
  const appUrl = `${server.url}/`;
  const profileUrl = `${server.url}/profile.json`;
  // A tall window, so that speedscope's list draws every row.
  const watch = await openWatched(browser, `${appUrl}#profileURL=${encodeURIComponent(profileUrl)}&view=sandwich`, {
    viewport: { width: 1200, height: 4000 },
    allowedUrls: [appUrl, profileUrl, ...readdirSync(appDir).map((name) => `${server.url}/${name}`)],
  });
  const { page } = watch;
  // The profile's name in speedscope's toolbar says the file was read.
  await page.waitForFunction((name) => (globalThis as unknown as PageGlobals).document.documentElement.textContent?.includes(name), INPUT);
  const rows = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    // Each row of the sandwich table: total, self, name, as speedscope writes them.
    const cells = Array.from(document.querySelectorAll("table tr"), (tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? ""));
    return cells.filter((row) => row.length === 3);
  });
  assert.equal(rows.length, truth.size, "one row per function");
  const count = (value: number) => value.toLocaleString("en-US");
  const shown = new Map(rows.map(([total, self, name]) => [name, { total: total.replace(/ \(.*\)$/, ""), self: self.replace(/ \(.*\)$/, "") }]));
  assert.deepEqual(
    shown,
    new Map([...truth].map(([name, { self, total }]) => [name, { total: count(total), self: count(self) }])),
  );
  assertQuiet(watch);
});
