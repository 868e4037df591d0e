/**
 * The command line as data: maps torch's arguments to the options of one run
 * (or to the text of --help or --version), touching neither the process nor
 * any file, so that tests can call it directly.
 */
import yargs from "yargs";
import { formatBytes, parseByteSize } from "../byte-size.js";
import { BACKGROUNDS, DEFAULT_OPTIONS, type FlameGraphOptions } from "../drawing-options.js";
import { FORMATS } from "../input/formats.js";
import { DEFAULT_MAX_INPUT_BYTES } from "../input/input-limit.js";
import { isUrl, liveOptionsProblem, PROFILE_NAMES, type LiveOptions } from "../input/http.js";
import type { FunctionOrder } from "../model/functions.js";
import { compileFilterRegex, createLabelFilter, type LabelFilterSpec, type StackFilters } from "../model/filters.js";
import { DEFAULT_PALETTE_FILE } from "../output/palette-file.js";
import { packageVersion } from "../package-info.js";
import type { RunOptions } from "../run.js";
import { PALETTES } from "../svg/colors.js";
import { UsageError } from "../usage-error.js";
import { closestMatch } from "leven";
import { scanArguments, type KnownOptions } from "./unknown-options.js";

/** Exit codes: 0 success, 1 bad input (or standard output failed), 2 bad usage. */
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

/** What a command line asks for: a run, or text to print (--help, --version). */
export type Invocation =
  | { action: "run"; options: RunOptions; warnings: string[] }
  | { action: "print"; text: string };

const DIFF_HELP = "torch diff --help";

function parser(columns: number) {
  return yargs()
    .scriptName("torch")
    .usage(
      "$0 [options] [input ...]\n\n" +
        "Turns profiles into a self-contained interactive SVG flame graph on stdout (or -o FILE).\n" +
        "Inputs: Go pprof, perf script, folded stacks, V8 .cpuprofile, Chrome traces, callgrind and the\n" +
        "other formats --format lists, gzipped or not; the format is detected from the content.\n" +
        "No input or `-` reads standard input.\n" +
        "Several inputs, or a directory, are merged into one graph.",
    )
    .epilog(
      `Exit status: 0 success, ${EXIT_INPUT} bad input, ${EXIT_USAGE} bad usage (including an -o file that cannot be written); ` +
        `standard output that cannot be written (a full disk) also exits ${EXIT_INPUT}.`,
    )
    .example("$0 cpu.pprof > cpu.svg", "a Go CPU profile as a flame graph")
    .example("perf script | $0 > perf.svg", "Linux perf samples")
    .example("$0 --folded heap.pprof", "print collapsed stacks instead of an SVG")
    .example("$0 --top 20 --sort total cpu.pprof", "the 20 functions with the most total time, as go tool pprof -top -cum")
    .example("$0 --sample-index alloc_space heap.pprof -o heap.svg", "pick a pprof sample type")
    .example("$0 http://localhost:6060 --seconds 10 -o cpu.svg", "profile a live Go program serving net/http/pprof")
    .option("output", { alias: "o", type: "string", describe: "write the SVG (or folded text) to this file instead of stdout" })
    .option("folded", { type: "boolean", default: false, describe: "print collapsed stacks (`a;b;c 42`) instead of an SVG" })
    .option("format", { type: "string", describe: `input format, instead of detecting it from the content: ${FORMATS.join(", ")}` })
    .option("sample-index", {
      type: "string",
      describe: "pprof sample type (name like alloc_space, or 0-based index); .cpuprofile: samples or time",
    })
    .option("top", { type: "number", describe: "print the top N functions by self value (go tool pprof -top's table) instead of an SVG" })
    .option("sort", { type: "string", default: "self", describe: "--top order: self (flat), total (cum, recursion counted once) or name" })
    .option("max-input-size", {
      type: "string",
      default: formatBytes(DEFAULT_MAX_INPUT_BYTES).replace(" ", ""),
      describe: "stop reading an input whose bytes, read or decompressed, pass this size: bytes, K/M/G/T (or KiB...: 1024s), KB/MB/GB (1000s)",
    })
    .option("speedscope", { type: "string", describe: "write the profile in speedscope's file format to this file (- for stdout) instead of an SVG" })
    .group(["output", "folded", "format", "sample-index", "top", "sort", "speedscope", "max-input-size"], "Input and output:")
    .option("title", { type: "string", describe: "title text (default: Flame Graph, Icicle Graph, Flame Chart or Differential Flame Graph)" })
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
    .option("colors", { type: "string", default: DEFAULT_OPTIONS.palette, describe: `palette: ${PALETTES.join(", ")}` })
    .option("bgcolors", { type: "string", default: "yellow" satisfies keyof typeof BACKGROUNDS, describe: `background: ${Object.keys(BACKGROUNDS).join(", ")}, or a #rrggbb colour` })
    .option("hash", { type: "boolean", describe: "colour by name hash, the default (wins over --random, as in flamegraph.pl)" })
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
    .option("demangle", { type: "boolean", default: false, describe: "perf: demangle Rust legacy symbols (_ZN...17h<hash>E), hash dropped" })
    .group(["pid", "tid", "kernel", "jit", "all", "addrs", "event-filter", "demangle"], "perf script (stackcollapse-perf.pl's options):")
    .option("seconds", { type: "number", describe: "CPU profile duration in whole seconds (default 30, as pprof), unless the URL sets ?seconds=" })
    .option("profile", {
      alias: "suffix",
      type: "string",
      describe: `endpoint of a base URL: ${PROFILE_NAMES.join(", ")} (default profile, i.e. CPU); --suffix takes go-torch's /debug/pprof/NAME`,
    })
    .option("timeout", { type: "number", describe: "seconds to wait for the whole answer (default: the duration + 60 for CPU profiles, else 60)" })
    .option("insecure", { type: "boolean", default: false, describe: "accept any HTTPS certificate (self-signed, other host name)" })
    .option("save-profile", { type: "string", describe: "also write the fetched profile, as fetched, to this file" })
    .group(["seconds", "profile", "timeout", "insecure", "save-profile"], "Live profiles (URL input):")
    .command("diff [before] [after]", "differential flame graph of AFTER, coloured by the change from BEFORE", (command) =>
      command
        .usage("$0 diff [options] BEFORE AFTER\n\nDifferential flame graph of AFTER, coloured by the change from BEFORE.")
        .positional("before", { type: "string", describe: "the earlier profile (any input torch reads)" })
        .positional("after", { type: "string", describe: "the later profile; frame widths are its values" }),
    )
    .example("$0 diff before.pprof after.pprof > diff.svg", "widths from after; red grew, blue shrank")
    .example("$0 diff --normalize --strip-hex a.folded b.folded", "compare shares, ignoring load addresses")
    .example("$0 diff --folded before.pprof after.pprof", "print `stack before after` lines (difffolded.pl's output)")
    .example("$0 --diff-base base.pprof new.pprof > diff.svg", "the same comparison as pprof -diff_base")
    .option("diff-base", { type: "string", describe: "draw the inputs as a differential graph against this earlier profile (pprof's -diff_base)" })
    .option("normalize", { type: "boolean", default: false, describe: "scale before's counts to after's total, truncated to integers (difffolded.pl -n)" })
    .option("strip-hex", { type: "boolean", default: false, describe: "write hex addresses in names as 0x... so that builds loaded elsewhere match (difffolded.pl -s)" })
    .group(["diff-base", "normalize", "strip-hex"], "Differential graphs (torch diff BEFORE AFTER, or --diff-base BEFORE):")
    .example("$0 --focus 'main\\.handle' cpu.pprof > handle.svg", "only stacks through main.handle")
    .example("$0 --ignore '^runtime\\.' cpu.pprof > app.svg", "drop stacks with a runtime frame")
    .example("$0 --hide 'runtime/pprof\\.Do' cpu.pprof > cpu.svg", "remove a wrapper frame, keep its stacks")
    .example("$0 --prune-from 'json\\.Marshal' cpu.pprof > cpu.svg", "stop stacks at json.Marshal, folding its callees into it")
    .example("$0 --tagfocus phase=hash cpu.pprof > hash.svg", "only pprof samples labelled phase=hash")
    .example("$0 --tagignore 'phase=warm.*' cpu.pprof > cpu.svg", "drop pprof samples labelled phase=warm...")
    .example("$0 --short-names cpu.pprof > cpu.svg", "github.com/x/y/pkg.Func is shown as pkg.Func")
    .option("focus", { type: "string", describe: "keep only stacks with a frame matching this regex" })
    .option("ignore", { type: "string", describe: "drop stacks with a frame matching this regex" })
    .option("hide", { type: "string", describe: "remove frames matching this regex from their stacks (the stacks stay)" })
    .option("prune-from", { type: "string", describe: "drop the callees of the deepest frame matching this regex (the frame stays)" })
    .option("tagfocus", {
      type: "string",
      describe: "pprof: keep samples with label KEY whose value matches one of RE,RE... (KEY=RE,...); without KEY= every RE must match some key:value",
    })
    .option("tagignore", { type: "string", describe: "pprof: drop samples whose labels match (syntax of --tagfocus)" })
    .option("short-names", { type: "boolean", default: false, describe: "shorten Go names as pprof does: github.com/x/y/pkg.Func -> pkg.Func" })
    .group(
      ["focus", "ignore", "hide", "prune-from", "tagfocus", "tagignore", "short-names"],
      "Filtering (go tool pprof's options; regexes match frame names, pprof's also match file names):",
    )
    .example("$0 --cp a.pprof > a.svg; $0 --cp b.pprof > b.svg", "one colour per name in both graphs (./palette.map)")
    .example("$0 --palette-file colours.map cpu.pprof > cpu.svg", "the same with another palette file")
    .example("$0 --encoding utf-8 perf.folded > perf.svg", "accepted for flamegraph.pl scripts; the SVG is UTF-8 anyway")
    .option("cp", { type: "boolean", default: false, describe: `consistent palette: colours by name are read from ./${DEFAULT_PALETTE_FILE} and new names added to it` })
    .option("palette-file", { type: "string", describe: `--cp with this file instead of ${DEFAULT_PALETTE_FILE}` })
    .option("encoding", { type: "string", describe: "flamegraph.pl's XML encoding: torch always writes UTF-8, so only utf-8 is accepted" })
    .group(["cp", "palette-file", "encoding"], "Palette file and encoding (flamegraph.pl's --cp and --encoding):")
    .parserConfiguration({ "camel-case-expansion": false, "duplicate-arguments-array": false })
    .strictOptions()
    .version("version", "print torch's version", packageVersion())
    .alias("version", "V")
    .help("help", "print this help")
    .alias("help", "h")
    .wrap(Math.min(110, columns))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

type ParsedArgs = Awaited<ReturnType<ReturnType<typeof parser>["parseAsync"]>>;

/**
 * Maps a command line (without the `node torch` in front) to what it asks
 * for. Throws UsageError, naming the help to read, for anything that cannot
 * run. `columns` is the width help text is wrapped to.
 */
export async function parseArguments(argv: readonly string[], columns = 110): Promise<Invocation> {
  const yargsParser = parser(columns);
  // getOptions() is yargs' own table of the options declared above (untyped in @types/yargs).
  const known = (yargsParser as unknown as { getOptions(): KnownOptions }).getOptions();
  const scanned = scanArguments(argv, known);
  const help = scanned.positionals[0] === "diff" ? DIFF_HELP : undefined;
  try {
    if (scanned.problem !== undefined) throw new UsageError(scanned.problem);
    let printed = "";
    const args = await yargsParser.parseAsync(scanned.argv, {}, (_error, _args, output) => {
      printed = output;
    });
    if (args.help || args.version) return { action: "print", text: printed.endsWith("\n") ? printed : printed + "\n" };
    return { action: "run", ...runOptions(args) };
  } catch (error) {
    if (help !== undefined && error instanceof UsageError && error.help !== help) throw new UsageError(error.message, help);
    throw error;
  }
}

function runOptions(args: ParsedArgs): { options: RunOptions; warnings: string[] } {
  const warnings: string[] = [];
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
    palette: choice("colors", args.colors, PALETTES),
    colourBy: args.random && !args.hash ? "random" : "hash",
    background: parseBackground(args.bgcolors),
    inverted: args.inverted,
    flameChart: args.flamechart,
    factor: positive("factor", args.factor),
    total: args.total === undefined ? undefined : positive("total", args.total),
    notes: args.notes,
    negate: args.negate,
  };
  const live: LiveOptions = {
    seconds: args.seconds,
    profile: args.profile,
    timeout: args.timeout === undefined ? undefined : positive("timeout", args.timeout),
    insecure: args.insecure,
    saveProfile: args["save-profile"],
  };
  const { inputs, diff } = differential(args);
  checkEncoding(args.encoding);
  const liveProblem = liveOptionsProblem(inputs, live);
  if (liveProblem !== undefined) throw new UsageError(liveProblem);
  if (![...inputs, diff?.before].some((input) => input !== undefined && isUrl(input))) {
    const liveFlags = { seconds: live.seconds !== undefined, profile: live.profile !== undefined, timeout: live.timeout !== undefined, insecure: live.insecure };
    for (const [flag, given] of Object.entries(liveFlags)) if (given) warnings.push(`--${flag} ignored: it applies to URL inputs only`);
  }
  const options: RunOptions = {
    inputs,
    output: args.output,
    folded: args.folded,
    top: topOption(args),
    speedscope: speedscopeOption(args),
    format: args.format === undefined ? undefined : choice("format", args.format, FORMATS),
    sampleIndex: args["sample-index"],
    maxInputBytes: byteSizeOption("max-input-size", args["max-input-size"]),
    reverse: args.reverse,
    perf: {
      pid: args.pid,
      tid: args.tid,
      kernel: args.kernel || args.all,
      jit: args.jit || args.all,
      addrs: args.addrs,
      eventFilter: args["event-filter"],
      demangle: args.demangle,
    },
    drawing,
    live,
    filters: stackFilters(args),
    labelFilter: labelFilterSpec(args),
    diff,
    paletteFile: args["palette-file"] ?? (args.cp ? DEFAULT_PALETTE_FILE : undefined),
  };
  return { options, warnings };
}

function parseMinWidth(text: string): { minWidth: number; minWidthIsPercent: boolean } {
  const match = /^(\d+(?:\.\d*)?|\.\d+)(%?)$/.exec(text.trim());
  if (!match) throw new UsageError(`--minwidth takes px or a percentage, not ${JSON.stringify(text)}`);
  const minWidth = Number(match[1]);
  const minWidthIsPercent = match[2] === "%";
  if (minWidthIsPercent && minWidth > 100) throw new UsageError(`--minwidth ${text}: a percentage of the total cannot exceed 100%`);
  return { minWidth, minWidthIsPercent };
}

function parseBackground(name: string): readonly [string, string] {
  if (Object.hasOwn(BACKGROUNDS, name)) return BACKGROUNDS[name as keyof typeof BACKGROUNDS];
  if (/^#[0-9a-fA-F]{3,8}$/.test(name)) return [name, name];
  throw new UsageError(`--bgcolors takes ${Object.keys(BACKGROUNDS).join(", ")} or a #rrggbb colour, not ${JSON.stringify(name)}`);
}

/** One of a fixed list of names; a misspelling gets the closest name suggested. */
function choice<T extends string>(option: string, value: string, names: readonly T[]): T {
  if ((names as readonly string[]).includes(value)) return value as T;
  const guess = closestMatch(value, names, { maxDistance: Math.ceil(value.length / 2) });
  throw new UsageError(
    `--${option} takes one of ${names.join(", ")}, not ${JSON.stringify(value)}${guess ? ` (did you mean ${guess}?)` : ""}`,
  );
}

function byteSizeOption(name: string, text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined) throw new UsageError(`--${name} takes a size such as 500M or 4GiB, not ${JSON.stringify(text)}`);
  return bytes;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number`);
  return value;
}

/** `torch diff BEFORE AFTER` and `--diff-base BEFORE [input ...]` both compare the inputs ("after") with BEFORE. */
function differential(args: ParsedArgs): { inputs: string[]; diff?: RunOptions["diff"] } {
  const positional = args._.map(String);
  const isDiffCommand = positional[0] === "diff";
  if (isDiffCommand) {
    const given = [args.before, args.after, ...positional.slice(1)].filter((arg) => arg !== undefined).map(pathArgument);
    if (given.length !== 2) {
      throw new UsageError(`diff compares two profiles, BEFORE and AFTER; got ${given.length === 0 ? "none" : `${given.length}: ${given.join(" ")}`}`);
    }
    if (args["diff-base"] !== undefined) throw new UsageError("torch diff already names the before profile; drop --diff-base");
  }
  const before = isDiffCommand ? pathArgument(args.before) : args["diff-base"];
  const inputs = isDiffCommand ? [pathArgument(args.after)] : positional;
  if (before === undefined) {
    if (args.normalize || args["strip-hex"]) throw new UsageError("--normalize and --strip-hex apply to torch diff or --diff-base");
    return { inputs };
  }
  if (before === "") throw new UsageError("--diff-base needs a profile (--diff-base=- for standard input)");
  if (args.flamechart) throw new UsageError("a differential graph cannot be a flame chart (--flamechart)");
  if (before === "-" && (inputs.length === 0 || inputs.includes("-"))) throw new UsageError("only one side of a comparison can be standard input");
  return { inputs, diff: { before, normalize: args.normalize, stripHex: args["strip-hex"] } };
}

/** yargs hands a command's lone `-` (standard input) positional over as "". */
function pathArgument(value: unknown): string {
  return value === "" ? "-" : String(value);
}

function regexOption(name: string, source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return compileFilterRegex(source);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}

function stackFilters(args: ParsedArgs): StackFilters {
  return {
    focus: regexOption("focus", args.focus),
    ignore: regexOption("ignore", args.ignore),
    hide: regexOption("hide", args.hide),
    pruneFrom: regexOption("prune-from", args["prune-from"]),
    shortNames: args["short-names"],
  };
}

function labelFilterSpec(args: ParsedArgs): LabelFilterSpec {
  const spec = { tagFocus: args.tagfocus, tagIgnore: args.tagignore };
  try {
    createLabelFilter(spec);
  } catch (error) {
    throw new UsageError(`--tagfocus/--tagignore: ${(error as Error).message}`);
  }
  return spec;
}

const FUNCTION_ORDERS: readonly FunctionOrder[] = ["self", "total", "name"];

function topOption(args: ParsedArgs): RunOptions["top"] {
  if (args.top === undefined) return undefined;
  if (!Number.isInteger(args.top) || args.top <= 0) throw new UsageError("--top takes a positive whole number of functions");
  if (args.folded) throw new UsageError("--top and --folded are two different outputs; choose one");
  return { count: args.top, order: choice("sort", args.sort, FUNCTION_ORDERS) };
}

function speedscopeOption(args: ParsedArgs): string | undefined {
  const path = args.speedscope;
  if (path === undefined) return undefined;
  if (path === "") throw new UsageError("--speedscope needs a file name (--speedscope=- for standard output)");
  const other = args.folded ? "--folded" : args.top !== undefined ? "--top" : args.output !== undefined ? "-o" : undefined;
  if (other) throw new UsageError(`--speedscope is its own output; drop ${other}`);
  return path;
}

/** flamegraph.pl writes --encoding into the XML declaration; torch's output is always UTF-8. */
function checkEncoding(encoding: string | undefined): void {
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new UsageError(`--encoding: torch writes UTF-8 only, not ${JSON.stringify(encoding)}`);
  }
}
