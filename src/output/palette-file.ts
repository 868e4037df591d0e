/**
 * flamegraph.pl's consistent palette (--cp): a `name->rgb(r,g,b)` line per
 * frame name, read before drawing so that a name keeps its colour across
 * graphs, and written back with the names this graph added.
 */
import { readFileSync } from "node:fs";
import { describeFsError } from "../fs-errors.js";
import { InputError } from "../model/profile.js";
import { writeFileAtomically } from "./atomic-file.js";

/** The file flamegraph.pl --cp uses, in the current directory. */
export const DEFAULT_PALETTE_FILE = "palette.map";

const SEPARATOR = "->";
/** Colours are written into SVG attributes, so only plain colour syntax is accepted. */
const COLOUR = /^(?:rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)|#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6})$/;

/**
 * Reads a palette file into name -> colour, in file order; a missing file is
 * an empty palette (the first graph creates it). Names may themselves contain
 * "->" (C++ `operator->`), so a line splits at its last "->".
 */
export function readPaletteFile(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new InputError(path, describeFsError(error as NodeJS.ErrnoException, "read"));
  }
  const palette = new Map<string, string>();
  const lines = text.split("\n");
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (line === "") return;
    const cut = line.lastIndexOf(SEPARATOR);
    const colour = cut >= 0 ? line.slice(cut + SEPARATOR.length).trim() : "";
    if (!COLOUR.test(colour)) {
      throw new InputError(path, `line ${index + 1}: expected 'name->rgb(r,g,b)', not ${JSON.stringify(line)}`);
    }
    palette.set(line.slice(0, cut), colour);
  });
  return palette;
}

/**
 * Writes the palette back, existing names first in their order and new ones
 * appended, through a temporary file so that a concurrent reader never sees
 * half a palette.
 */
export function writePaletteFile(path: string, palette: ReadonlyMap<string, string>): void {
  writeFileAtomically(path, (write) => {
    for (const [name, colour] of palette) {
      // A name with a line break cannot be stored in a line-based file; it keeps its hash colour.
      if (!/[\r\n]/.test(name)) write(`${name}${SEPARATOR}${colour}\n`);
    }
  });
}
