import type { StackTree } from "./stack-tree.js";

/** What a reader knows about the values it added, beyond the stacks themselves. */
export interface ProfileMeta {
  /** Sample type as pprof names it (`cpu`, `alloc_space`, `samples`...). */
  sampleType: string;
  /** Unit of the values (`nanoseconds`, `bytes`, `count`, `samples`...). */
  unit: string;
  /** Input lines or records that were skipped, for the user to see on stderr. */
  warnings?: string[];
}

/** A sample's labels as `key=value` strings (pprof labels), for tag filters. */
export type SampleLabels = readonly string[];

/** Collapsed stacks plus the meaning of their values: what every reader produces. */
export interface Profile extends ProfileMeta {
  tree: StackTree;
}

/** Raised for input that cannot be read; the CLI prints `torch: <source>: <message>`. */
export class InputError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}
