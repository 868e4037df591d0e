/**
 * flamegraph.pl's consistent palette (--cp, --palette-file): the file format,
 * and the same colour for the same name across graphs; --encoding.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { flameGraphChunks, InputError, readProfile, renderFlameGraph } from "torch-flamegraph";
import { readPaletteFile, writePaletteFile } from "#internals";
import { scratchDir } from "./support/scratch.js";
import { runCli } from "./support/cli.js";
import { frameName, parseSvg } from "./support/svg.js";

function fillsByName(svgText: string): Map<string, string> {
  return new Map(parseSvg(svgText).frames.map((frame) => [frameName(frame.title), frame.fill]));
}

test("rendering returns the colours it gave names the palette lacked, and leaves the palette alone", async () => {
  const profile = await readProfile(new TextEncoder().encode("main;work 2\nmain;idle 1\n"));
  const palette: ReadonlyMap<string, string> = new Map([["main", "rgb(1,2,3)"]]);
  const chunks = flameGraphChunks(profile, { paletteMap: palette });
  let svg = "";
  let step = chunks.next();
  for (; !step.done; step = chunks.next()) svg += step.value;
  assert.deepEqual([...palette], [["main", "rgb(1,2,3)"]]);
  const fills = fillsByName(svg);
  assert.equal(fills.get("main"), "rgb(1,2,3)");
  // The new names get the colours they get without a palette; the root is coloured as the empty name, as in flamegraph.pl.
  const plain = fillsByName(renderFlameGraph(profile));
  assert.deepEqual(step.value.newColours, new Map([["", plain.get("all")], ["work", plain.get("work")], ["idle", plain.get("idle")]]));
});

test("a missing palette file is an empty palette", () => {
  assert.deepEqual(readPaletteFile(join(scratchDir("palette"), "palette.map")), new Map());
});

test("the file is name->colour lines, in the palette's order, and reads back the same", () => {
  const path = join(scratchDir("palette"), "palette.map");
  const palette = new Map([
    ["main", "rgb(230,100,20)"],
    ["std::unique_ptr<T>::operator->", "rgb(1,2,3)"],
    ["", "#abc"],
  ]);
  writePaletteFile(path, palette);
  assert.equal(readFileSync(path, "utf8"), "main->rgb(230,100,20)\nstd::unique_ptr<T>::operator->->rgb(1,2,3)\n->#abc\n");
  assert.deepEqual(readPaletteFile(path), palette);
  assert.deepEqual(readdirSync(join(path, "..")), ["palette.map"], "no temporary file is left behind");
});

test("CRLF line ends are read; malformed lines and unsafe colours are input errors", () => {
  const dir = scratchDir("palette");
  const crlf = join(dir, "crlf.map");
  writeFileSync(crlf, "a->rgb(1,2,3)\r\nb->rgb(4,5,6)\r\n");
  assert.deepEqual(readPaletteFile(crlf), new Map([["a", "rgb(1,2,3)"], ["b", "rgb(4,5,6)"]]));
  for (const [text, line] of [["a->rgb(1,2,3)\nno separator\n", 2], ['a->red" onload="x\n', 1], ["a->\n", 1]] as const) {
    const path = join(dir, "bad.map");
    writeFileSync(path, text);
    assert.throws(() => readPaletteFile(path), (error: unknown) => error instanceof InputError && error.message.startsWith(`line ${line}:`));
  }
});

test("--palette-file: listed names keep their colour, new names are appended", () => {
  const dir = scratchDir("palette");
  const first = join(dir, "first.folded");
  const second = join(dir, "second.folded");
  writeFileSync(first, "a;b 1\na;c 1\n");
  writeFileSync(second, "a;c 2\nd 1\n");
  const paletteFile = join(dir, "colours.map");
  // The hot palette never has red below 205, so this colour can only come from the file.
  writeFileSync(paletteFile, "c->rgb(1,2,3)\n");

  const one = runCli(["--palette-file", paletteFile, first]);
  assert.equal(one.status, 0, one.stderr);
  const firstFills = fillsByName(one.stdout);
  assert.equal(firstFills.get("c"), "rgb(1,2,3)");
  const afterFirst = readPaletteFile(paletteFile);
  assert.deepEqual([...afterFirst.keys()], ["c", "", "a", "b"], "existing name first, then the graph's new names in drawing order");
  for (const name of ["a", "b"]) assert.equal(afterFirst.get(name), firstFills.get(name), name);

  const two = runCli(["--palette-file", paletteFile, second]);
  assert.equal(two.status, 0, two.stderr);
  const secondFills = fillsByName(two.stdout);
  assert.equal(secondFills.get("a"), firstFills.get("a"));
  assert.equal(secondFills.get("c"), "rgb(1,2,3)");
  assert.deepEqual([...readPaletteFile(paletteFile).keys()], ["c", "", "a", "b", "d"]);
});

test("--cp uses palette.map in the current directory, and only when drawing", () => {
  const dir = scratchDir("palette");
  writeFileSync(join(dir, "one.folded"), "x;y 3\n");
  writeFileSync(join(dir, "two.folded"), "x;z 3\n");
  assert.equal(runCli(["--cp", "--folded", "one.folded"], undefined, dir).status, 0);
  assert.equal(existsSync(join(dir, "palette.map")), false, "folded output draws no colours");

  writeFileSync(join(dir, "palette.map"), "x->rgb(9,9,9)\n");
  const one = runCli(["--cp", "one.folded"], undefined, dir);
  const two = runCli(["--cp", "two.folded"], undefined, dir);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(fillsByName(one.stdout).get("x"), "rgb(9,9,9)");
  assert.equal(fillsByName(two.stdout).get("x"), "rgb(9,9,9)");
  assert.deepEqual([...readPaletteFile(join(dir, "palette.map")).keys()], ["x", "", "y", "z"]);
});

test("--encoding accepts UTF-8 only, which the SVG is written in", () => {
  const dir = scratchDir("palette");
  const input = join(dir, "names.folded");
  writeFileSync(input, "café;naïve 3\n");
  for (const encoding of ["utf-8", "UTF8"]) {
    const run = runCli(["--encoding", encoding, input]);
    assert.equal(run.status, 0, run.stderr);
    const names = parseSvg(run.stdout).frames.map((frame) => frameName(frame.title));
    assert.deepEqual(names, ["all", "café", "naïve"]);
  }
  const latin1 = runCli(["--encoding", "ISO-8859-1", input]);
  assert.equal(latin1.status, 2);
  assert.match(latin1.stderr, /--encoding: torch writes UTF-8 only/);
});
