/**
 * go tool pprof's stack filters (-focus, -ignore, -hide, -prune_from,
 * -tagfocus, -tagignore) as rewrites of collapsed stacks, plus pprof's
 * short Go function names.
 *
 * pprof matches -focus/-ignore/-hide against a location's function names and
 * also its file and binary names; torch has only frame names, so it matches
 * those. pprof matches -prune_from against the name cut at its first "(",
 * which makes Go methods (`main.(*T).m`) impossible to prune from; torch
 * matches the whole name, as for the other filters.
 */
import { memoize } from "../memoize.js";
import type { SampleLabels } from "./profile.js";
import type { StackTree } from "./stack-tree.js";
import { rebuild } from "./transforms.js";

export interface StackFilters {
  /** Keep only stacks with a frame matching this. */
  focus?: RegExp;
  /** Drop stacks with a frame matching this. */
  ignore?: RegExp;
  /** Remove matching frames from stacks (the stacks stay). */
  hide?: RegExp;
  /** Remove the callees of the deepest matching frame. */
  pruneFrom?: RegExp;
  /** `github.com/x/y/pkg.Func` -> `pkg.Func`, as pprof's reports show Go names. */
  shortNames?: boolean;
}

export type StackFilterName = "focus" | "ignore" | "hide" | "pruneFrom";

export interface FilterResult {
  tree: StackTree;
  /** Filters that were given but match no frame name in the profile, for a warning as pprof gives. */
  unmatched: StackFilterName[];
}

/** True when any stack filter or rewrite is set, i.e. the tree needs rebuilding. */
function hasStackFilters(filters: StackFilters): boolean {
  return Boolean(filters.focus || filters.ignore || filters.hide || filters.pruneFrom || filters.shortNames);
}

/**
 * Applies the filters in pprof's order: focus and ignore judge the original
 * stack, hide then removes frames, prune_from cuts what is left; stacks left
 * without frames are dropped. Short names come last, so that the regexes see
 * the full names, as in pprof.
 */
export function filterStacks(tree: StackTree, filters: StackFilters): FilterResult {
  if (!hasStackFilters(filters)) return { tree, unmatched: [] };
  const [focus, ignore, hide, pruneFrom] = [filters.focus, filters.ignore, filters.hide, filters.pruneFrom].map(
    // Profiles repeat a few thousand names across many stacks: test each name once.
    (regex) => regex && memoize((frame: string) => regex.test(frame)),
  );
  const filtered = rebuild(tree, (original) => {
    if (ignore && original.some(ignore)) return undefined;
    if (focus && !original.some(focus)) return undefined;
    let frames = hide ? original.filter((frame) => !hide(frame)) : original;
    if (pruneFrom) {
      const deepest = findLastIndex(frames, pruneFrom);
      if (deepest >= 0) frames = frames.slice(0, deepest + 1);
    }
    if (frames.length === 0) return undefined;
    return filters.shortNames ? frames.map(shortFunctionName) : frames;
  });
  const names: StackFilterName[] = ["focus", "ignore", "hide", "pruneFrom"];
  const unmatched = names.filter((name) => {
    const regex = filters[name];
    return regex !== undefined && !tree.names.some((frame) => regex.test(frame));
  });
  return { tree: filtered, unmatched };
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

/**
 * Leading import-path segments (`github.com/`, `x/`...) of a Go function
 * name: word characters, dots and dashes up to a slash. Anything after the
 * first other character (a receiver's "(", a type argument's "[") is no
 * longer the package path.
 */
const IMPORT_PATH_DIRS = /^(?:[\w.-]+\/)+/;

/**
 * pprof's short form of a Go function name: the import path up to the
 * package name is dropped (`github.com/x/y/pkg.(*T).M` -> `pkg.(*T).M`,
 * `runtime/pprof.Do` -> `pprof.Do`). Names without a path, and anything that
 * is not `pkg.name` after it (a file path, `[unknown]`), are unchanged.
 */
export function shortFunctionName(name: string): string {
  const dirs = IMPORT_PATH_DIRS.exec(name);
  if (!dirs) return name;
  const rest = name.slice(dirs[0].length);
  return rest.indexOf(".") > 0 ? rest : name;
}

/**
 * Compiles a user regex. Go's RE2 syntax and JavaScript's agree on what
 * profiles need; RE2's leading `(?i)` is accepted as the `i` flag.
 */
export function compileFilterRegex(source: string): RegExp {
  return source.startsWith("(?i)") ? new RegExp(source.slice(4), "i") : new RegExp(source);
}

export interface LabelFilterSpec {
  tagFocus?: string;
  tagIgnore?: string;
}

export interface LabelFilter {
  /** For `ReadOptions.keepLabels`: true when a sample with these labels stays. */
  keep(labels: SampleLabels): boolean;
  /** Options that were given but matched no sample's labels (none when no sample was judged). */
  unmatched(): Array<"tagfocus" | "tagignore">;
}

/**
 * pprof's -tagfocus/-tagignore for string labels. `key=re1,re2` matches a
 * sample that has label `key` with a value matching any of the regexes;
 * without `key=`, every regex must match some label written `key:value`
 * (pprof's form). A sample stays when it matches tagfocus (if given) and not
 * tagignore. Labels arrive as `key=value` strings; numeric labels are matched
 * as their decimal text (pprof's value ranges like `1kb:2kb` are not supported).
 */
export function createLabelFilter(spec: LabelFilterSpec): LabelFilter | undefined {
  const focus = spec.tagFocus === undefined ? undefined : labelMatcher(spec.tagFocus);
  const ignore = spec.tagIgnore === undefined ? undefined : labelMatcher(spec.tagIgnore);
  if (!focus && !ignore) return undefined;
  let judged = false;
  let focusMatched = false;
  let ignoreMatched = false;
  return {
    keep(labels) {
      judged = true;
      const pairs = labels.map(splitLabel);
      const focused = focus ? focus(pairs) : true;
      const ignored = ignore ? ignore(pairs) : false;
      focusMatched ||= Boolean(focus) && focused;
      ignoreMatched ||= ignored;
      return focused && !ignored;
    },
    unmatched() {
      if (!judged) return [];
      return [...(focus && !focusMatched ? ["tagfocus" as const] : []), ...(ignore && !ignoreMatched ? ["tagignore" as const] : [])];
    },
  };
}

type LabelPair = { key: string; value: string };

function splitLabel(label: string): LabelPair {
  const eq = label.indexOf("=");
  return { key: label.slice(0, eq), value: label.slice(eq + 1) };
}

function labelMatcher(spec: string): (labels: LabelPair[]) => boolean {
  const eq = spec.indexOf("=");
  const key = eq >= 0 ? spec.slice(0, eq) : undefined;
  const regexes = (eq >= 0 ? spec.slice(eq + 1) : spec).split(",").map(compileFilterRegex);
  if (key === undefined) {
    return (labels) => regexes.every((regex) => labels.some((label) => regex.test(`${label.key}:${label.value}`)));
  }
  return (labels) => labels.some((label) => label.key === key && regexes.some((regex) => regex.test(label.value)));
}
