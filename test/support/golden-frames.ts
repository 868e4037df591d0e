import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeXML } from "entities";
import { corpusDir } from "./cli.js";
import type { SvgFrame } from "./svg.js";

/** A frame table drawn by flamegraph.pl (see the corpus README), entities decoded. */
export interface GoldenTable {
  width: number;
  height: number;
  title: string;
  frames: SvgFrame[];
}

/** Reads `<name>.frames.tsv`: a `#svg key=value...` line, a header, then `title x y width height fill text` rows. */
export function readGoldenTable(name: string): GoldenTable {
  const path = join(corpusDir, "flamegraph-svg-frames", `${name}.frames.tsv`);
  const [header, , ...rows] = readFileSync(path, "utf8").trimEnd().split("\n");
  const meta = Object.fromEntries(header.split("\t").slice(1).map((kv) => kv.split("=") as [string, string]));
  return {
    width: Number(meta.width),
    height: Number(meta.height),
    title: meta.title,
    frames: rows.map((row) => {
      const [title, x, y, width, height, fill, label] = row.split("\t");
      return {
        title: decodeXML(title),
        x: Number(x),
        y: Number(y),
        width: Number(width),
        height: Number(height),
        fill,
        label: decodeXML(label ?? ""),
        start: NaN,
        value: NaN,
      };
    }),
  };
}

/** torch's differential titles are flamegraph.pl's plus a `; before: N` clause (a deliberate addition). */
export function withoutBefore(title: string): string {
  return title.replace(/; before: [^;)]*\)$/, ")");
}
