import { renderFlameGraph, type FlameGraphOptions } from "./flamegraph.js";
import type { Format } from "./input/detect.js";
import type { PerfOptions } from "./input/perf.js";
import { readProfile } from "./input/read-profile.js";
import { expandArguments, stdinSource, type InputSource } from "./input/source.js";
import { InputError, type Profile } from "./model/profile.js";
import { mergeTrees, reverseStacks } from "./model/transforms.js";
import { writeFileAtomically } from "./output/atomic-file.js";
import { foldedLines } from "./output/folded.js";

/** A mistake in how torch was called (exit code 2), as opposed to bad input (1). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface RunOptions {
  inputs: string[];
  output?: string;
  folded: boolean;
  format?: Format;
  sampleIndex?: string;
  reverse: boolean;
  perf: PerfOptions;
  drawing: FlameGraphOptions;
}

/** Reads every input and merges them; profiles of different kinds cannot be merged. */
export async function readInputs(sources: InputSource[], options: RunOptions): Promise<Profile> {
  const profiles: Profile[] = [];
  for (const source of sources) {
    const profile = await readProfile(source, {
      format: options.format,
      sampleIndex: options.sampleIndex,
      perf: options.perf,
      mergeMode: options.drawing.flameChart ? "adjacent" : "merge",
    });
    for (const warning of profile.warnings ?? []) process.stderr.write(`torch: ${source.name}: warning: ${warning}\n`);
    const first = profiles[0];
    if (first && (first.sampleType !== profile.sampleType || first.unit !== profile.unit || first.tree.channels !== profile.tree.channels)) {
      throw new InputError(
        source.name,
        `cannot merge ${profile.sampleType} (${profile.unit}) with ${first.sampleType} (${first.unit}) from ${sources[0].name}`,
      );
    }
    profiles.push(profile);
  }
  const tree = mergeTrees(profiles.map((p) => p.tree));
  return { ...profiles[0], tree: options.reverse ? reverseStacks(tree) : tree, warnings: [] };
}

/** The whole job: read, merge, then write folded text or an SVG to stdout or a file. */
export async function run(options: RunOptions): Promise<void> {
  const sources = options.inputs.length === 0 ? [stdinSource()] : await expandArguments(options.inputs);
  const profile = await readInputs(sources, options);
  const produce = (write: (chunk: string) => void) => {
    if (options.folded) {
      for (const line of foldedLines(profile.tree)) write(line + "\n");
    } else {
      renderFlameGraph(profile, options.drawing, write);
    }
  };
  if (options.output) {
    writeFileAtomically(options.output, produce);
  } else {
    const chunks: string[] = [];
    produce((chunk) => chunks.push(chunk));
    await writeStdout(chunks.join(""));
  }
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
