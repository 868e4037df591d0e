/**
 * Checks the option tokens of a command line before yargs parses it, so that
 * an unknown option is named once, exactly as typed, with the closest real
 * option suggested (yargs lists every key it made of the flag instead:
 * `Unknown arguments: show-from, showFrom`, or only `sort` for `--no-sort`),
 * and an option that misses its value says so.
 */
import { closestMatch } from "leven";

/** The options yargs knows, as its getOptions() lists them. */
export interface KnownOptions {
  boolean: string[];
  string: string[];
  number: string[];
  alias: Record<string, string[]>;
}

export interface ScannedArguments {
  /** The arguments that are neither options nor their values, in order (the command first, if any). */
  positionals: string[];
  /** The first mistake, in words; undefined when every option is known and has its value. */
  problem?: string;
  /** The arguments with short options' attached values (`-oFILE`) spelled out (`--output=FILE`), as yargs would not read them. */
  argv: string[];
}

/** A token that is a value rather than an option: `-` (standard input) and negative numbers. */
function isValue(token: string): boolean {
  return !token.startsWith("-") || token === "-" || /^-\.?\d/.test(token);
}

export function scanArguments(argv: readonly string[], known: KnownOptions): ScannedArguments {
  const booleans = new Set(known.boolean);
  const takesValue = new Set([...known.string, ...known.number]);
  const longNames = [...booleans, ...takesValue].filter((name) => name.length > 1);
  const canonical = new Map<string, string>();
  for (const name of [...booleans, ...takesValue]) {
    canonical.set(name, name);
    for (const alias of known.alias[name] ?? []) canonical.set(alias, name);
  }
  const closest = (wanted: string, names: string[]) =>
    names.find((name) => name === wanted.replace(/_/g, "-").toLowerCase()) ??
    closestMatch(wanted, names, { maxDistance: Math.ceil(wanted.length / 2) });
  const unknown = (typed: string, wanted: string) => {
    // --no-X turns off a boolean X: look for the X that was meant.
    const negated = wanted.startsWith("no-") ? closest(wanted.slice(3), [...booleans]) : undefined;
    const suggestion = wanted.startsWith("no-") ? negated && `no-${negated}` : closest(wanted, longNames);
    return `unknown option ${typed}${suggestion ? ` (did you mean --${suggestion}?)` : ""}`;
  };

  const positionals: string[] = [];
  const normalised: string[] = [];
  let problem: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === "--") {
      positionals.push(...argv.slice(i + 1));
      normalised.push(...argv.slice(i));
      break;
    }
    if (isValue(token)) {
      positionals.push(token);
      normalised.push(token);
      continue;
    }
    let spelledOut = token;
    const equals = token.indexOf("=");
    const flag = equals === -1 ? token : token.slice(0, equals);
    // The option whose value is the next token, if any.
    let needsNext: string | undefined;
    if (flag.startsWith("--")) {
      const typed = flag.slice(2);
      const name = canonical.get(typed);
      const negated = typed.startsWith("no-") && booleans.has(canonical.get(typed.slice(3)) ?? "");
      if (name === undefined && !negated) problem ??= unknown(flag, typed);
      else if (name !== undefined && takesValue.has(name) && equals === -1) needsNext = name;
    } else {
      // Short options: -o FILE, -oFILE, or several boolean ones together (-hV).
      for (let k = 1; k < flag.length; k++) {
        const name = canonical.get(flag[k]);
        if (name === undefined) {
          problem ??= unknown(flag, flag.slice(1));
          break;
        }
        if (takesValue.has(name)) {
          if (k + 1 === token.length) needsNext = name;
          else if (k === 1) spelledOut = `--${name}=${token.slice(token[2] === "=" ? 3 : 2)}`;
          break;
        }
      }
    }
    normalised.push(spelledOut);
    if (needsNext === undefined) continue;
    const value = argv[i + 1];
    // yargs reads `--diff-base -` as an option without a value followed by the input `-`.
    if (value === "-") problem ??= `${flag} needs a value (to give it "-", write ${flag}=-)`;
    else if (value === undefined || !isValue(value)) problem ??= `${flag} needs a value`;
    else normalised.push(argv[++i]);
  }
  return { positionals, problem, argv: normalised };
}
