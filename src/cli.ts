#!/usr/bin/env node
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { DEFAULT_OPTIONS, type FlameGraphOptions } from "./flamegraph.js";
import { FORMATS, type Format } from "./input/detect.js";
import { PALETTES, type Palette } from "./svg/colors.js";
import { run, UsageError, type RunOptions } from "./run.js";
import { InputError } from "./model/profile.js";

/** Exit codes: 0 success, 1 bad input, 2 bad usage. */
const EXIT_INPUT = 1;
const EXIT_USAGE = 2;

const BACKGROUNDS: Record<string, [string, string]> = {
  yellow: ["#eeeeee", "#eeeeb0"],
  blue: ["#eeeeee", "#e0e0ff"],
  green: ["#eef2ee", "#e0ffe0"],
  grey: ["#f8f8f8", "#e8e8e8"],
};

function parser(argv: string[]) {
  return yargs(argv)
    .scriptName("torch")
    .usage(
      "$0 [options] [input ...]\n\n" +
        "Turns profiles into a self-contained interactive SVG flame graph on stdout (or -o FILE).\n" +
        "Inputs: Go pprof (gzipped or raw protobuf), folded stacks, `perf script` text, V8 .cpuprofile;\n" +
        "the format is detected from the content. No input or `-` reads standard input.\n" +
        "Several inputs, or a directory, are merged into one graph.",
    )
    .example("$0 cpu.pprof > cpu.svg", "a Go CPU profile as a flame graph")
    .example("perf script | $0 > perf.svg", "Linux perf samples")
    .example("$0 --folded heap.pprof", "print collapsed stacks instead of an SVG")
    .example("$0 --sample-index alloc_space heap.pprof -o heap.svg", "pick a pprof sample type")
    .option("output", { alias: "o", type: "string", describe: "write the SVG (or folded text) to this file instead of stdout" })
    .option("folded", { type: "boolean", default: false, describe: "print collapsed stacks (`a;b;c 42`) instead of an SVG" })
    .option("format", { choices: FORMATS as readonly string[], describe: "input format, instead of detecting it from the content" })
    .option("sample-index", {
      type: "string",
      describe: "pprof sample type (name like alloc_space, or 0-based index); .cpuprofile: samples or time",
    })
    .group(["output", "folded", "format", "sample-index"], "Input and output:")
    .option("title", { type: "string", describe: "title text (default: Flame Graph, Icicle Graph or Flame Chart)" })
    .option("subtitle", { type: "string", describe: "second title line" })
    .option("width", { type: "number", default: DEFAULT_OPTIONS.width, describe: "image width in px" })
    .option("height", { type: "number", default: DEFAULT_OPTIONS.frameHeight, describe: "height of each frame in px" })
    .option("minwidth", {
      type: "string",
      default: String(DEFAULT_OPTIONS.minWidth),
      describe: "omit frames narrower than this many px, or N% of the total (e.g. 0.5%)",
    })
    .option("fonttype", { type: "string", default: DEFAULT_OPTIONS.fontType, describe: "font family" })
    .option("fontsize", { type: "number", default: DEFAULT_OPTIONS.fontSize, describe: "font size in px" })
    .option("fontwidth", { type: "number", default: DEFAULT_OPTIONS.fontWidth, describe: "average glyph width / font size, for fitting labels" })
    .option("countname", { type: "string", describe: "what values count (default from the profile: samples, ns, bytes...)" })
    .option("nametype", { type: "string", default: DEFAULT_OPTIONS.nameType, describe: "label before the hovered frame's details" })
    .option("colors", { choices: PALETTES as readonly string[], default: DEFAULT_OPTIONS.palette, describe: "palette" })
    .option("bgcolors", { type: "string", default: "yellow", describe: "background: yellow, blue, green, grey, or a #rrggbb colour" })
    .option("hash", { type: "boolean", default: true, describe: "colour by name hash (always on; the same name gets the same colour)" })
    .option("random", { type: "boolean", default: false, describe: "colour by a per-name pseudo-random seed (still deterministic)" })
    .option("inverted", { type: "boolean", default: false, describe: "icicle graph: root at the top" })
    .option("reverse", { type: "boolean", default: false, describe: "reverse every stack (leaf becomes root) before merging" })
    .option("flamechart", { type: "boolean", default: false, describe: "keep input (time) order: siblings are neither sorted nor merged unless adjacent" })
    .option("factor", { type: "number", default: DEFAULT_OPTIONS.factor, describe: "multiply values by this in titles" })
    .option("total", { type: "number", describe: "scale as if the total were this (shares one scale across several SVGs)" })
    .option("notes", { type: "string", describe: "text stored in the SVG as a <desc> note" })
    .option("negate", { type: "boolean", default: false, describe: "differential graphs: swap red and blue" })
    .group(
      ["title", "subtitle", "width", "height", "minwidth", "fonttype", "fontsize", "fontwidth", "countname", "nametype",
        "colors", "bgcolors", "hash", "random", "inverted", "reverse", "flamechart", "factor", "total", "notes", "negate"],
      "Drawing (flamegraph.pl's options):",
    )
    .option("pid", { type: "boolean", default: false, describe: "perf: root frame is process name-PID" })
    .option("tid", { type: "boolean", default: false, describe: "perf: root frame is process name-PID/TID" })
    .option("kernel", { type: "boolean", default: false, describe: "perf: mark kernel frames with _[k]" })
    .option("jit", { type: "boolean", default: false, describe: "perf: mark JIT frames with _[j]" })
    .option("all", { type: "boolean", default: false, describe: "perf: --kernel and --jit" })
    .option("addrs", { type: "boolean", default: false, describe: "perf: show raw addresses of unknown symbols" })
    .option("event-filter", { type: "string", describe: "perf: only samples of this event (default: the first event seen)" })
    .group(["pid", "tid", "kernel", "jit", "all", "addrs", "event-filter"], "perf script (stackcollapse-perf.pl's options):")
    .strictOptions()
    .version(false)
    .help("help")
    .alias("help", "h")
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

function parseMinWidth(text: string): { minWidth: number; minWidthIsPercent: boolean } {
  const match = /^(\d+(?:\.\d*)?|\.\d+)(%?)$/.exec(text.trim());
  if (!match) throw new UsageError(`--minwidth takes px or a percentage, not ${JSON.stringify(text)}`);
  return { minWidth: Number(match[1]), minWidthIsPercent: match[2] === "%" };
}

function parseBackground(name: string): [string, string] {
  const preset = BACKGROUNDS[name];
  if (preset) return preset;
  if (/^#[0-9a-fA-F]{3,8}$/.test(name)) return [name, name];
  throw new UsageError(`--bgcolors takes yellow, blue, green, grey or a #rrggbb colour, not ${JSON.stringify(name)}`);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  let options: RunOptions;
  try {
    const args = await parser(argv).parseAsync();
    if (args.help) return 0;
    const drawing: FlameGraphOptions = {
      ...DEFAULT_OPTIONS,
      title: args.title,
      subtitle: args.subtitle,
      width: positive("width", args.width),
      frameHeight: positive("height", args.height),
      ...parseMinWidth(args.minwidth),
      fontType: args.fonttype,
      fontSize: positive("fontsize", args.fontsize),
      fontWidth: positive("fontwidth", args.fontwidth),
      countName: args.countname,
      nameType: args.nametype,
      palette: args.colors as Palette,
      colourBy: args.random ? "random" : "hash",
      background: parseBackground(args.bgcolors),
      inverted: args.inverted,
      flameChart: args.flamechart,
      factor: positive("factor", args.factor),
      total: args.total === undefined ? undefined : positive("total", args.total),
      notes: args.notes,
      negate: args.negate,
    };
    options = {
      inputs: args._.map(String),
      output: args.output,
      folded: args.folded,
      format: args.format as Format | undefined,
      sampleIndex: args["sample-index"],
      reverse: args.reverse,
      perf: {
        pid: args.pid,
        tid: args.tid,
        kernel: args.kernel || args.all,
        jit: args.jit || args.all,
        addrs: args.addrs,
        eventFilter: args["event-filter"],
      },
      drawing,
    };
  } catch (error) {
    if (error instanceof UsageError || (error as Error).name === "YError") {
      process.stderr.write(`torch: ${(error as Error).message}\nTry 'torch --help'.\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  try {
    await run(options);
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`torch: ${error.source}: ${error.message}\n`);
      return EXIT_INPUT;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`torch: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`torch: internal error: ${error.stack ?? error.message}\n`);
    process.exitCode = 70;
  },
);
