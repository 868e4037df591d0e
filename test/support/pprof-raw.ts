/**
 * An independent reading of `go tool pprof -raw <file>`, used as the oracle
 * for torch's own pprof reader. It works only from the text pprof prints:
 *
 *   Samples:
 *   samples/count cpu/nanoseconds[dflt]      <- sample types; [dflt] marks the default
 *            77  770000000: 1 2 3 4          <- values, then location ids leaf first
 *                   phase:[hash]             <- labels, indented 16 spaces
 *   Locations
 *        1: 0x4c0184 M=1 main.mix /src/main.go:129 s=0
 *                main.hashUntil /src/main.go:122 s=0   <- inlined caller, 13 spaces
 *        2: 0x4c0079 M=1                     <- no lines: a bare address
 *   Mappings
 *
 * Within a location the first line is the innermost (inlined) function and
 * the last the outermost caller, so a root-first stack reverses both the
 * sample's location list and each location's lines.
 */

export interface RawSampleType {
  name: string;
  unit: string;
}

export interface RawProfile {
  sampleTypes: RawSampleType[];
  /** The type pprof shows when not told otherwise: the `[dflt]` one, else the last. */
  defaultSampleType: string | undefined;
  /** Per sample type name: root-first `a;b;c` stack -> summed non-zero value. */
  stacks: Map<string, Map<string, number>>;
}

interface RawSample {
  values: number[];
  locationIds: number[];
}

const SAMPLE_LINE = /^((?: +-?\d+)+): ?(.*)$/;
const LABEL_LINE = /^ {16}\S/;
const LOCATION_LINE = /^ *(\d+): (0x[0-9a-f]+) (?:M=\d+ )?(?:\[F\] )?(.*)$/;
const INLINED_LINE = /^ {13}(\S.*)$/;
/** `name file:line s=startLine`, then `(systemName)` when it differs from name. */
const FUNCTION_LINE = /^(.*) \S*:-?\d+ s=-?\d+(?:\(.*\))?$/;

export function parsePprofRaw(text: string): RawProfile {
  const lines = text.split("\n");
  const samplesAt = indexOfLine(lines, "Samples:");
  const locationsAt = indexOfLine(lines, "Locations");
  const mappingsAt = indexOfLine(lines, "Mappings");

  const { sampleTypes, defaultSampleType } = parseSampleTypes(lines[samplesAt + 1]);
  const samples = parseSamples(lines.slice(samplesAt + 2, locationsAt));
  const framesOf = parseLocations(lines.slice(locationsAt + 1, mappingsAt));

  const stacks = new Map(sampleTypes.map((type) => [type.name, new Map<string, number>()]));
  for (const sample of samples) {
    const stack = rootFirstStack(sample.locationIds, framesOf);
    sampleTypes.forEach((type, i) => addValue(stacks.get(type.name)!, stack, sample.values[i]));
  }
  return { sampleTypes, defaultSampleType, stacks };
}

function indexOfLine(lines: string[], header: string): number {
  const at = lines.indexOf(header);
  if (at < 0) throw new Error(`pprof -raw output has no "${header}" line`);
  return at;
}

function parseSampleTypes(header: string): Pick<RawProfile, "sampleTypes" | "defaultSampleType"> {
  const sampleTypes: RawSampleType[] = [];
  let marked: string | undefined;
  for (const token of header.split(" ").filter(Boolean)) {
    const isDefault = token.endsWith("[dflt]");
    const typeAndUnit = isDefault ? token.slice(0, -"[dflt]".length) : token;
    const slash = typeAndUnit.lastIndexOf("/");
    const name = typeAndUnit.slice(0, slash);
    sampleTypes.push({ name, unit: typeAndUnit.slice(slash + 1) });
    if (isDefault) marked = name;
  }
  return { sampleTypes, defaultSampleType: marked ?? sampleTypes.at(-1)?.name };
}

function parseSamples(lines: string[]): RawSample[] {
  const samples: RawSample[] = [];
  for (const line of lines) {
    if (LABEL_LINE.test(line)) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`unexpected sample line in pprof -raw output: ${JSON.stringify(line)}`);
    samples.push({ values: numbersIn(match[1]), locationIds: numbersIn(match[2]) });
  }
  return samples;
}

function numbersIn(text: string): number[] {
  return text.split(" ").filter(Boolean).map(Number);
}

/** Location id -> its frame names, innermost first, as printed. */
function parseLocations(lines: string[]): Map<number, string[]> {
  const framesOf = new Map<number, string[]>();
  let current: { address: string; frames: string[] } | undefined;
  for (const line of lines) {
    const location = LOCATION_LINE.exec(line);
    const inlined = INLINED_LINE.exec(line);
    if (location) {
      current = { address: location[2], frames: [] };
      framesOf.set(Number(location[1]), current.frames);
      current.frames.push(frameName(location[3], current.address));
    } else if (inlined && current) {
      current.frames.push(frameName(inlined[1], current.address));
    } else {
      throw new Error(`unexpected location line in pprof -raw output: ${JSON.stringify(line)}`);
    }
  }
  return framesOf;
}

/**
 * A location printed without lines, a line without a function (`??`) and a
 * function with an empty name all stand for the location's address.
 */
function frameName(lineText: string, address: string): string {
  return FUNCTION_LINE.exec(lineText)?.[1] || address;
}

function rootFirstStack(leafFirstIds: number[], framesOf: Map<number, string[]>): string {
  const frames: string[] = [];
  for (const id of [...leafFirstIds].reverse()) {
    const innermostFirst = framesOf.get(id);
    if (!innermostFirst) throw new Error(`sample refers to unknown location ${id}`);
    frames.push(...[...innermostFirst].reverse());
  }
  return frames.join(";");
}

function addValue(stacks: Map<string, number>, stack: string, value: number): void {
  if (value === 0) return;
  const sum = (stacks.get(stack) ?? 0) + value;
  if (sum === 0) stacks.delete(stack);
  else stacks.set(stack, sum);
}
