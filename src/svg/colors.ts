/**
 * Frame colours, by flamegraph.pl's palettes and hashing, so that a frame has
 * the colour flamegraph.pl --hash would give it (and one name one colour in
 * every graph).
 */

export const PALETTES = [
  "hot", "mem", "io", "wakeup", "chain", "java", "js", "perl",
  "red", "green", "blue", "aqua", "yellow", "purple", "orange",
] as const;
export type Palette = (typeof PALETTES)[number];

type Rgb = [number, number, number];
type BasePalette = "hot" | "mem" | "io" | "red" | "green" | "blue" | "aqua" | "yellow" | "purple" | "orange";

/**
 * flamegraph.pl's name hash: a weighted vector of the first characters, early
 * characters weighing most, in [0, 1]. A `module`` prefix is dropped first.
 */
export function nameHash(name: string): number {
  const tick = name.indexOf("`");
  const text = tick > 0 ? name.slice(tick + 1) : name;
  let vector = 0;
  let weight = 1;
  let max = 1;
  let mod = 10;
  for (const char of text) {
    const i = char.codePointAt(0)! % mod;
    vector += (i / (mod++ - 1)) * weight;
    max += weight;
    weight *= 0.7;
    if (mod > 12) break;
  }
  return 1 - vector / max;
}

/** Three values in [0, 1) that pick a colour within a palette's range. */
export interface ColourSeed {
  v1: number;
  v2: number;
  v3: number;
}

export function hashSeed(name: string): ColourSeed {
  const reversed = nameHash([...name].reverse().join(""));
  return { v1: nameHash(name), v2: reversed, v3: reversed };
}

/**
 * flamegraph.pl --random, made deterministic: the seed comes from a
 * pseudo-random generator keyed by the name (FNV-1a into mulberry32), so the
 * same input still gives a byte-identical SVG.
 */
export function randomSeed(name: string): ColourSeed {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  const next = () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { v1: next(), v2: next(), v3: next() };
}

/** The multi-palettes choose a base palette by what kind of frame a name is. */
function basePalette(palette: Palette, name: string): BasePalette {
  switch (palette) {
    case "java":
      if (name.endsWith("_[j]")) return "green";
      if (name.endsWith("_[i]")) return "aqua";
      if (/^L?(java|javax|jdk|net|org|com|io|sun)\//.test(name)) return "green";
      if (name.includes(":::")) return "green";
      if (name.endsWith("_[k]")) return "orange";
      if (name.includes("::")) return "yellow";
      return "red";
    case "perl":
      if (name.includes("::")) return "yellow";
      if (name.includes("Perl") || name.includes(".pl")) return "green";
      if (name.endsWith("_[k]")) return "orange";
      return "red";
    case "js":
      if (name.endsWith("_[j]")) return name.includes("/") ? "green" : "aqua";
      if (name.includes("::")) return "yellow";
      if (/\/.*\.js/.test(name)) return "green";
      if (name.includes(":")) return "aqua";
      if (name === " ") return "green";
      if (name.includes("_[k]")) return "orange";
      return "red";
    case "wakeup":
      return "aqua";
    case "chain":
      return name.includes("_[w]") ? "aqua" : "blue";
    default:
      return palette;
  }
}

export function paletteColour(palette: Palette, name: string, { v1, v2, v3 }: ColourSeed): Rgb {
  const f = Math.floor;
  switch (basePalette(palette, name)) {
    case "hot":
      return [205 + f(50 * v3), f(230 * v1), f(55 * v2)];
    case "mem":
      return [0, 190 + f(50 * v2), f(210 * v1)];
    case "io": {
      const r = 80 + f(60 * v1);
      return [r, r, 190 + f(55 * v2)];
    }
    case "red": {
      const x = 50 + f(80 * v1);
      return [200 + f(55 * v1), x, x];
    }
    case "green": {
      const x = 50 + f(60 * v1);
      return [x, 200 + f(55 * v1), x];
    }
    case "blue": {
      const x = 80 + f(60 * v1);
      return [x, x, 205 + f(50 * v1)];
    }
    case "yellow": {
      const x = 175 + f(55 * v1);
      return [x, x, 50 + f(20 * v1)];
    }
    case "purple": {
      const x = 190 + f(65 * v1);
      return [x, 80 + f(60 * v1), x];
    }
    case "aqua": {
      const gb = 160 + f(55 * v1);
      return [50 + f(60 * v1), gb, gb];
    }
    case "orange":
      return [190 + f(65 * v1), 90 + f(65 * v1), 0];
  }
}

/**
 * Differential colouring: red where a frame grew, blue where it shrank,
 * white when unchanged; saturation proportional to the change relative to
 * the largest change in the graph.
 */
export function diffColour(delta: number, maxDelta: number): Rgb {
  if (delta === 0 || maxDelta === 0) return [255, 255, 255];
  const shade = Math.floor((210 * (maxDelta - Math.abs(delta))) / maxDelta);
  return delta > 0 ? [255, shade, shade] : [shade, shade, 255];
}

export function rgbText([r, g, b]: Rgb): string {
  return `rgb(${r},${g},${b})`;
}
