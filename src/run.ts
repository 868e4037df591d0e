import { collectReadersGarbage } from "./collect-garbage.js";
import { valueFormat, type FlameGraphOptions } from "./drawing-options.js";
import { saveFetchedProfile, type LiveOptions } from "./input/http.js";
import type { PerfOptions } from "./input/perf.js";
import { readerNamed } from "./input/formats.js";
import { readProfile } from "./input/read-profile.js";
import { expandArguments, STDIN_NAME, stdinSource, type InputSource } from "./input/source.js";
import { diffProfiles } from "./model/diff.js";
import { createLabelFilter, filterStacks, type LabelFilterSpec, type StackFilters } from "./model/filters.js";
import { InputError, type Profile } from "./model/profile.js";
import { mergeTrees, reverseStacks } from "./model/transforms.js";
import { writeChunksAtomically } from "./output/atomic-file.js";
import { foldedChunks } from "./output/folded.js";
import { writeStdoutSync } from "./output/stdout.js";
import { readPaletteFile, writePaletteFile } from "./output/palette-file.js";
import { topLines } from "./output/top.js";
import { speedscopeChunks } from "./output/speedscope.js";
import type { FunctionOrder } from "./model/functions.js";

export interface RunOptions {
  inputs: string[];
  output?: string;
  folded: boolean;
  /** Print the top functions (`go tool pprof -top`) instead of an SVG. */
  top?: { count: number; order: FunctionOrder };
  /** Write the profile in speedscope's file format to this file (`-` for stdout) instead of an SVG. */
  speedscope?: string;
  format?: string;
  sampleIndex?: string;
  /** Bytes one input may have, read or decompressed (--max-input-size). */
  maxInputBytes?: number;
  reverse: boolean;
  perf: PerfOptions;
  drawing: FlameGraphOptions;
  /** How URL inputs are fetched. */
  live: LiveOptions;
  /** go tool pprof's stack filters, applied after merging and before --reverse. */
  filters: StackFilters;
  /** go tool pprof's label filters, applied to pprof samples as they are read. */
  labelFilter: LabelFilterSpec;
  /** A differential graph: `inputs` are the "after" side, `before` the other. */
  diff?: { before: string; normalize: boolean; stripHex: boolean };
  /** flamegraph.pl --cp: colours by name are read from and added to this file. */
  paletteFile?: string;
}

/** Reads every input and merges them; profiles of different kinds cannot be merged. */
export async function readInputs(sources: InputSource[], options: RunOptions): Promise<Profile> {
  const profiles: Profile[] = [];
  const labels = createLabelFilter(options.labelFilter);
  for (const source of sources) {
    const profile = await readProfile(source, {
      format: options.format,
      sampleIndex: options.sampleIndex,
      maxInputBytes: options.maxInputBytes,
      perf: options.perf,
      keepLabels: labels?.keep,
      mergeMode: options.drawing.flameChart ? "adjacent" : "merge",
    });
    for (const warning of [...(profile.warnings ?? []), ...ignoredOptions(profile.format, options)]) {
      process.stderr.write(`torch: ${source.name}: warning: ${warning}\n`);
    }
    const first = profiles[0];
    if (first && (first.sampleType !== profile.sampleType || first.unit !== profile.unit || first.tree.channels !== profile.tree.channels)) {
      throw new InputError(
        source.name,
        `cannot merge ${profile.sampleType} (${profile.unit}) with ${first.sampleType} (${first.unit}) from ${sources[0].name}`,
      );
    }
    profiles.push(profile);
  }
  const { tree, unmatched } = filterStacks(mergeTrees(profiles.map((p) => p.tree)), options.filters);
  for (const name of [...unmatched, ...(labels?.unmatched() ?? [])]) warn(`--${kebabCase(name)} matched nothing`);
  return { ...profiles[0], tree: options.reverse ? reverseStacks(tree) : tree, warnings: [] };
}

/** The flags given for options that this input's format has no use for, said in words. */
function ignoredOptions(format: string, options: RunOptions): string[] {
  const uses = readerNamed(format)?.uses ?? [];
  const { perf, labelFilter } = options;
  const perfFlags = Object.entries({
    pid: perf.pid, tid: perf.tid, kernel: perf.kernel, jit: perf.jit, addrs: perf.addrs, "event-filter": perf.eventFilter !== undefined, demangle: perf.demangle,
  }).filter(([, given]) => given).map(([flag]) => `--${flag}`);
  const ignored: string[] = [];
  if (options.sampleIndex !== undefined && !uses.includes("sampleIndex")) {
    ignored.push(`--sample-index ignored: ${format} input has one kind of value (pprof and .cpuprofile have several)`);
  }
  if (perfFlags.length > 0 && !uses.includes("perf")) {
    ignored.push(`${perfFlags.join(", ")} ignored: ${perfFlags.length > 1 ? "they apply" : "it applies"} to perf script input, not ${format}`);
  }
  if ((labelFilter.tagFocus !== undefined || labelFilter.tagIgnore !== undefined) && !uses.includes("keepLabels")) {
    ignored.push("--tagfocus/--tagignore ignored: only pprof profiles carry labels");
  }
  return ignored;
}

function warn(message: string): void {
  process.stderr.write(`torch: warning: ${message}\n`);
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (upper) => "-" + upper.toLowerCase());
}

/** Reads both sides of a differential graph: `before` and, as "after", the inputs. */
async function readDiff(
  afterSources: InputSource[],
  diff: NonNullable<RunOptions["diff"]>,
  options: RunOptions,
): Promise<{ profile: Profile; subtitle: string }> {
  const before = { name: diff.before, profile: await readInputs(await expandArguments([diff.before], options.live), options) };
  const after = { name: options.inputs.join(", ") || STDIN_NAME, profile: await readInputs(afterSources, options) };
  return { profile: diffProfiles(before, after, diff), subtitle: `before: ${before.name}, after: ${after.name}` };
}

/** --top output is written in batches: one write per line would cost a system call each. */
const TOP_LINES_PER_WRITE = 1000;

/** --folded or --top output. */
function* textChunks(profile: Profile, options: RunOptions, drawing: FlameGraphOptions): Generator<string | Uint8Array> {
  if (!options.top) return yield* foldedChunks(profile.tree);
  const lines = topLines(profile, { ...options.top, factor: drawing.factor, ...valueFormat(profile, drawing) });
  for (let i = 0; i < lines.length; i += TOP_LINES_PER_WRITE) yield lines.slice(i, i + TOP_LINES_PER_WRITE).join("\n") + "\n";
}

/** The whole job: read, merge, then write folded text or an SVG to stdout or a file. */
export async function run(options: RunOptions): Promise<void> {
  const sources = options.inputs.length === 0 ? [stdinSource()] : await expandArguments(options.inputs, options.live);
  let profile: Profile;
  let drawing = options.drawing;
  if (options.diff) {
    const diff = await readDiff(sources, options.diff, options);
    profile = diff.profile;
    drawing = { ...drawing, subtitle: drawing.subtitle ?? diff.subtitle };
  } else {
    profile = await readInputs(sources, options);
  }
  const textOnly = options.folded || options.top !== undefined || options.speedscope !== undefined;
  if (options.paletteFile && !textOnly) drawing = { ...drawing, paletteMap: readPaletteFile(options.paletteFile) };
  saveFetchedProfile(sources);
  collectReadersGarbage();
  let newColours = new Map<string, string>();
  // The SVG renderer, and xmlbuilder2 with it, loads only when an SVG is drawn: text outputs start faster without it.
  const svgChunks = async () => {
    const { flameGraphChunks } = await import("./flamegraph.js");
    return (function* () {
      ({ newColours } = yield* flameGraphChunks(profile, drawing));
    })();
  };
  const chunks =
    options.speedscope !== undefined
      ? speedscopeChunks(profile, options.inputs.join(", ") || STDIN_NAME)
      : textOnly
        ? textChunks(profile, options, drawing)
        : await svgChunks();
  const output = options.speedscope ?? options.output;
  if (output !== undefined && output !== "-") {
    await writeChunksAtomically(output, chunks);
  } else {
    for (const chunk of chunks) writeStdoutSync(chunk);
  }
  if (options.paletteFile && drawing.paletteMap) writePaletteFile(options.paletteFile, new Map([...drawing.paletteMap, ...newColours]));
}
