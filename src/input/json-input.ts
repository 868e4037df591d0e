import { InputError } from "../model/profile.js";
import { readAllText } from "./reader.js";

/** The whole input parsed as JSON, for the JSON profile formats; bad JSON is one clear line. */
export async function readJson(input: AsyncIterable<Uint8Array>, source: string): Promise<unknown> {
  return parseJson(await readJsonText(input, source), source);
}

/** The whole input as one string, within what JSON.parse can take. */
export function readJsonText(input: AsyncIterable<Uint8Array>, source: string): Promise<string> {
  return readAllText(input, source, "JSON");
}

/** `fs.readFileSync(..., "utf8")` keeps a byte-order mark, which JSON.parse rejects. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseJson(text: string, source: string): unknown {
  const json = withoutBom(text);
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(source, describeJsonError(json, (error as Error).message));
  }
}

/**
 * One line from V8's parse error: an early end is reported either as "end of
 * JSON input" or as an error at the last offset, and the source text V8 quotes
 * after the reason may span lines, so it is dropped.
 */
function describeJsonError(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : undefined;
  const end = text.trimEnd().length;
  if (message.includes("end of JSON input") || (offset !== undefined && offset >= end)) {
    return `truncated JSON at offset ${end}`;
  }
  const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/, (\.\.\.)?".*$/s, "");
  return offset === undefined ? `invalid JSON: ${reason}` : `invalid JSON at offset ${offset}: ${reason}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
