/**
 * Differential profiles, as difffolded.pl builds them for flamegraph.pl: the
 * stacks of two profiles in one two-channel tree, channel 0 the "after"
 * profile (drawn: widths are after's) and channel 1 the "before" one (the
 * colours show the change from it).
 */
import { InputError, type Profile } from "./profile.js";
import { StackTree } from "./stack-tree.js";
import { rebuild } from "./transforms.js";

export interface DiffOptions {
  /** Scale before's counts to after's total (difffolded.pl -n). */
  normalize: boolean;
  /** Replace hex addresses in frame names with `0x...` (difffolded.pl -s). */
  stripHex: boolean;
}

/** One side of a comparison, with the name it is shown and blamed by. */
export interface DiffSide {
  name: string;
  profile: Profile;
}

const HEX_ADDRESS = /0x[0-9a-fA-F]+/g;

/** Frame names with addresses blanked, so that builds loaded at different addresses line up. */
function stripHexAddresses(frames: string[]): string[] {
  return frames.map((frame) => frame.replace(HEX_ADDRESS, "0x..."));
}

/**
 * Combines two profiles of the same kind into a differential one. With
 * `normalize`, every before stack is scaled by after's total over before's
 * and truncated to an integer, exactly as difffolded.pl -n does, so the two
 * sides compare as shares rather than absolute counts.
 */
export function diffProfiles(before: DiffSide, after: DiffSide, options: DiffOptions): Profile {
  for (const side of [before, after]) {
    if (side.profile.tree.channels !== 1) throw new InputError(side.name, "is already a differential profile");
  }
  if (before.profile.sampleType !== after.profile.sampleType || before.profile.unit !== after.profile.unit) {
    throw new InputError(
      after.name,
      `cannot compare ${after.profile.sampleType} (${after.profile.unit}) with ${before.profile.sampleType} (${before.profile.unit}) from ${before.name}`,
    );
  }
  // Stripped before scaling, so that stacks which become equal are summed first, as difffolded.pl sums per stack.
  const strip = (tree: StackTree) => (options.stripHex ? rebuild(tree, stripHexAddresses, new StackTree(1)) : tree);
  const beforeTree = strip(before.profile.tree);
  const afterTree = strip(after.profile.tree);
  const beforeTotal = beforeTree.totals()[beforeTree.root];
  const afterTotal = afterTree.totals()[afterTree.root];
  const scale = options.normalize && beforeTotal !== afterTotal && beforeTotal !== 0
    ? (value: number) => Math.trunc((value * afterTotal) / beforeTotal)
    : (value: number) => value;

  const combined = rebuild(afterTree, (frames) => frames, new StackTree(2));
  for (const node of beforeTree.leaves()) {
    const value = scale(beforeTree.self(node));
    if (value !== 0) combined.add(beforeTree.stackOf(node), value, 1);
  }
  return { sampleType: after.profile.sampleType, unit: after.profile.unit, tree: combined, warnings: [] };
}
