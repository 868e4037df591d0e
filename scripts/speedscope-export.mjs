// Opens each input in the speedscope app (its index.html, in headless Chromium) and
// saves what its Export button downloads: `node speedscope-export.mjs INDEX_HTML (INPUT OUTPUT)...`.
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [indexHtml, ...pairs] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (let i = 0; i < pairs.length; i += 2) {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(pathToFileURL(indexHtml).href);
    await page.setInputFiles("input[type=file]", pairs[i]);
    await page.getByText("Export", { exact: false }).first().waitFor();
    const download = page.waitForEvent("download");
    await page.getByText("Export", { exact: false }).first().click();
    await (await download).saveAs(pairs[i + 1]);
    await page.close();
  }
} finally {
  await browser.close();
}
