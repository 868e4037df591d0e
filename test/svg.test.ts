/** The SVG parsed back: well-formed, complete, exact, escaped, self-contained, deterministic. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_OPTIONS } from "torch-flamegraph";
import { runCli, repoRoot, corpusDir } from "./support/cli.js";
import { parseFolded } from "./support/folded.js";
import { findAll, frameName, parseSvg } from "./support/svg.js";

const goCpu = join(repoRoot, "samples/goprog/cpu.pprof");
const perfFolded = join(corpusDir, "flamegraph-folded/folded/example-perf.folded");

/** Inclusive value per stack prefix, computed straight from folded text. */
function inclusiveTotals(folded: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { frames, count: value } of parseFolded(folded)) {
    for (let depth = 1; depth <= frames.length; depth++) {
      const prefix = frames.slice(0, depth).join(";");
      totals.set(prefix, (totals.get(prefix) ?? 0) + value);
    }
  }
  return totals;
}

test("every frame of a real Go CPU profile has the width and value its stacks give it", () => {
  const folded = runCli(["--folded", goCpu]);
  assert.equal(folded.status, 0, folded.stderr);
  const totals = inclusiveTotals(folded.stdout);
  const total = [...totals].filter(([k]) => !k.includes(";")).reduce((sum, [, v]) => sum + v, 0);

  const svg = runCli([goCpu]);
  assert.equal(svg.status, 0, svg.stderr);
  const { frames } = parseSvg(svg.stdout);
  assert.equal(frames[0].value, total);
  // Rebuild each frame's stack from pre-order depth to look up its expected value.
  const rootY = frames[0].y;
  const path: string[] = [];
  for (const frame of frames.slice(1)) {
    const depth = Math.round((rootY - frame.y) / DEFAULT_OPTIONS.frameHeight);
    path.length = depth - 1;
    path.push(frameName(frame.title));
    const expected = totals.get(path.join(";"));
    assert.equal(frame.value, expected, path.join(";"));
    assert.ok(Math.abs(frame.width - (expected! * 1180) / total) <= 0.05, `${path.join(";")} width ${frame.width}`);
  }
  assert.ok(frames.length > 20);
});

test("CPU titles read as durations; heap titles as sizes", () => {
  const cpu = parseSvg(runCli([goCpu]).stdout);
  assert.match(cpu.frames[0].title, /^all \(\d+(\.\d+)? (s|ms), 100%\)$/);
  const heap = parseSvg(runCli(["--sample-index", "alloc_space", join(repoRoot, "samples/goprog/heap.pprof")]).stdout);
  assert.match(heap.frames[0].title, /^all \(\d+(\.\d+)? (B|kB|MB|GB), 100%\)$/);
  const objects = parseSvg(runCli(["--sample-index", "alloc_objects", join(repoRoot, "samples/goprog/heap.pprof")]).stdout);
  assert.match(objects.frames[0].title, /^all \([\d,]+ objects, 100%\)$/);
});

test("hostile names are data: they parse back unchanged and nothing else enters the document", () => {
  const names = [
    "</script><script>alert(1)</script>",
    "]]><svg onload=alert(2)>",
    "javascript:alert(3)",
    "\" onmouseover=\"alert(4)",
    "AT&T &amp <b> & c", // no ';' here: in folded text it separates frames
    "héllo wörld 日本",
    `${"long".repeat(2500)}`,
  ];
  const folded = names.map((name, i) => `main;${name} ${i + 1}`).join("\n") + "\n";
  const run = runCli(["-"], folded);
  assert.equal(run.status, 0, run.stderr);
  const svg = parseSvg(run.stdout);
  const drawn = new Set(svg.frames.map((f) => frameName(f.title)));
  for (const name of names) assert.ok(drawn.has(name), `missing ${name.slice(0, 40)}`);
  assert.equal(findAll(svg.root, (e) => e.localName === "script").length, 1);
  const attributes = findAll(svg.root, () => true).flatMap((e) => (e as unknown as { attributes: ArrayLike<{ name: string }> }).attributes ? Array.from((e as unknown as { attributes: ArrayLike<{ name: string }> }).attributes, (a) => a.name) : []);
  assert.ok(!attributes.some((a) => a.startsWith("on")), "no event handler attributes");
});

test("control characters and bidi overrides are shown as visible escapes, keeping the XML valid", () => {
  const run = runCli(["-"], "main;nul\u0000bell\u0007;rtl\u202eevil 1\n");
  assert.equal(run.status, 0, run.stderr);
  const names = parseSvg(run.stdout).frames.map((f) => frameName(f.title));
  assert.ok(names.includes("nul\\x00bell\\x07"));
  assert.ok(names.includes("rtl\\u202eevil"));
});

test("the SVG references nothing outside itself", () => {
  const text = runCli([perfFolded]).stdout;
  const svg = parseSvg(text);
  for (const element of findAll(svg.root, () => true)) {
    for (const name of ["href", "xlink:href", "src"]) assert.equal(element.getAttribute(name), null);
  }
  const urls = [...text.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(urls)], ["#background"]);
  // Namespace names are not references: SVG's, and XHTML's for the functions table the script builds.
  assert.ok(!/@import|https?:\/\/(?!www\.w3\.org\/(2000\/svg|1999\/xhtml)\b)/.test(text));
});

test("the viewer script and stylesheet are the files under templates/, inlined", () => {
  const svg = parseSvg(runCli([perfFolded]).stdout);
  const [script] = findAll(svg.root, (e) => e.localName === "script");
  assert.equal(script.textContent, readFileSync(join(repoRoot, "dist/templates/viewer.js"), "utf8"));
  const [style] = findAll(svg.root, (e) => e.localName === "style");
  assert.ok(style.textContent!.includes("#frames g.parent"));
});

test("same input and flags give a byte-identical SVG", () => {
  for (const args of [[goCpu], ["--random", perfFolded], ["--inverted", "--colors", "java", perfFolded]]) {
    assert.equal(runCli(args).stdout, runCli(args).stdout);
  }
});

test("labels are truncated with '..' to what fits, and omitted when under three characters fit", () => {
  const svg = parseSvg(runCli(["--width", "300", "-"], "short 1\nabcdefghijklmnopqrstuvwxyz0123456789 3\n").stdout);
  for (const frame of svg.frames.slice(1)) {
    const name = frameName(frame.title);
    const fits = Math.floor(frame.width / (DEFAULT_OPTIONS.fontSize * DEFAULT_OPTIONS.fontWidth));
    const expected = fits < 3 ? "" : name.length <= fits ? name : name.slice(0, fits - 2) + "..";
    assert.equal(frame.label, expected);
  }
  assert.ok(svg.frames.some((f) => f.label.endsWith("..")));
});
