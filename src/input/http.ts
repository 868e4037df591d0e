/**
 * Profiles fetched from a live program serving Go's net/http/pprof, e.g.
 * `torch http://localhost:6060 --seconds 5`.
 *
 * The transport is node:http/node:https rather than fetch: Node 20's fetch
 * cannot be told to accept one self-signed certificate (`--insecure`) without
 * the undici package, and one transport for both cases keeps a single path for
 * redirects, timeouts and error messages.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { InputError } from "../model/profile.js";
import { writeFileAtomically } from "../output/atomic-file.js";
import { showProgress } from "../progress.js";
import type { InputSource } from "./source.js";

/** The endpoints under /debug/pprof/ that answer with a pprof profile; `profile` is CPU. */
export const PROFILE_NAMES = ["profile", "heap", "allocs", "block", "mutex", "goroutine", "threadcreate"];

export interface LiveOptions {
  /** How long CPU (and, when given, delta) profiles are collected; pprof's default is 30. */
  seconds?: number;
  /** Endpoint for a base URL: a name from PROFILE_NAMES or go-torch's `--suffix` path. */
  profile?: string;
  /** Seconds to wait for the whole answer. */
  timeout?: number;
  /** Accept any TLS certificate (self-signed, other host name). */
  insecure?: boolean;
  /** Also write the fetched bytes to this file. */
  saveProfile?: string;
}

const PPROF_PATH = "/debug/pprof/";
const DEFAULT_SECONDS = 30;
/** The timeout when nothing is collected, and the slack on top of a collection's duration. */
const DEFAULT_TIMEOUT = 60;
/** As fetch. */
const MAX_REDIRECTS = 20;
/** The longest piece of an error body quoted in a message. */
const QUOTE_CHARS = 200;

export function isUrl(arg: string): boolean {
  return /^https?:\/\//i.test(arg);
}

function parseUrl(arg: string): URL | undefined {
  try {
    return new URL(arg);
  } catch {
    return undefined;
  }
}

/** A URL naming only a server (or its pprof index), to which `--profile` adds the endpoint. */
function isBaseUrl(url: URL): boolean {
  return url.pathname === "/" || url.pathname === "/debug/pprof" || url.pathname === PPROF_PATH;
}

/** `heap` from --profile's `heap`, or --suffix's `/debug/pprof/heap`. */
function normaliseEndpoint(profile: string): string {
  return profile.replace(/^\/?(debug\/pprof\/)?/, "").replace(/\/$/, "");
}

/** The last path segment: `profile` (CPU), `heap`... */
function endpointOf(url: URL): string {
  return url.pathname.replace(/\/$/, "").split("/").pop() ?? "";
}

/** Why the live-profile options cannot apply to these inputs, or undefined when they can. */
export function liveOptionsProblem(inputs: readonly string[], live: LiveOptions): string | undefined {
  const urls = inputs.filter(isUrl);
  if (live.seconds !== undefined && !(Number.isInteger(live.seconds) && live.seconds > 0)) {
    return "--seconds must be a whole number of seconds (Go's pprof handler ignores anything else)";
  }
  if (live.profile !== undefined) {
    if (!PROFILE_NAMES.includes(normaliseEndpoint(live.profile))) {
      return `--profile takes one of ${PROFILE_NAMES.join(", ")}, not ${JSON.stringify(live.profile)}`;
    }
    const named = urls.find((arg) => {
      const url = parseUrl(arg);
      return url !== undefined && !isBaseUrl(url);
    });
    if (named !== undefined) return `--profile picks the endpoint of a base URL, but ${named} names one already`;
  }
  if (live.saveProfile !== undefined && urls.length !== 1) return "--save-profile needs exactly one URL input";
  return undefined;
}

/**
 * The URL to fetch for an argument: a base URL gets the chosen endpoint (CPU
 * by default), and a CPU profile a duration unless the URL gives one.
 */
function profileUrl(arg: string, live: LiveOptions): URL {
  const url = parseUrl(arg);
  if (url === undefined) throw new InputError(arg, "not a valid URL");
  if (isBaseUrl(url)) url.pathname = PPROF_PATH + normaliseEndpoint(live.profile ?? "profile");
  const timed = endpointOf(url) === "profile" || live.seconds !== undefined;
  if (timed && !url.searchParams.has("seconds")) url.searchParams.set("seconds", String(live.seconds ?? DEFAULT_SECONDS));
  return url;
}

/** How long the server collects before it answers; Go's handler reads a bad CPU `seconds` as 30. */
function collectionSeconds(url: URL): number | undefined {
  const seconds = Number(url.searchParams.get("seconds") ?? "");
  if (Number.isInteger(seconds) && seconds > 0) return seconds;
  return endpointOf(url) === "profile" ? DEFAULT_SECONDS : undefined;
}

/** A profile fetched from a URL; the body then goes through the usual format detection. */
export class UrlSource implements InputSource {
  readonly name: string;
  private readonly url: URL;
  /** The body exactly as the server sent it, once fetched. */
  fetched?: Uint8Array;

  constructor(
    arg: string,
    private readonly live: LiveOptions,
  ) {
    this.url = profileUrl(arg, live);
    this.name = this.url.href;
  }

  /** The whole body at once: profiles are small, and nothing stays open if the reader gives up early. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    this.fetched = await this.fetch();
    yield this.fetched;
  }

  private async fetch(): Promise<Uint8Array> {
    const seconds = collectionSeconds(this.url);
    const timeout = this.live.timeout ?? (seconds ?? 0) + DEFAULT_TIMEOUT;
    const signal = AbortSignal.timeout(timeout * 1000);
    const endpoint = endpointOf(this.url);
    const stopProgress =
      seconds === undefined
        ? () => {}
        : showProgress(process.stderr, `${endpoint === "profile" ? "CPU" : endpoint} profile from ${this.name}`, seconds);
    try {
      const response = await getFollowingRedirects(this.url, this.live.insecure ?? false, signal);
      const body = await readBody(response);
      checkAnswer(response, body);
      return body;
    } catch (error) {
      throw new InputError(this.name, signal.aborted ? `no complete answer within ${timeout} s (see --timeout)` : describeFailure(error));
    } finally {
      stopProgress();
    }
  }
}

function get(url: URL, insecure: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request =
      url.protocol === "https:" ? https.get(url, { signal, rejectUnauthorized: !insecure }, resolve) : http.get(url, { signal }, resolve);
    request.on("error", reject);
  });
}

async function getFollowingRedirects(url: URL, insecure: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await get(current, insecure, signal);
    const location = response.headers.location;
    const status = response.statusCode ?? 0;
    if (status < 300 || status > 399 || location === undefined) return response;
    response.resume();
    if (redirects === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    current = new URL(location, current);
    if (!isUrl(current.href)) throw new Error(`redirected to ${current.href}, which is not HTTP`);
  }
}

async function readBody(response: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Turns away error statuses (quoting the body's first line: Go's handlers answer in plain text) and web pages. */
function checkAnswer(response: IncomingMessage, body: Uint8Array): void {
  const status = response.statusCode ?? 0;
  const html = isHtml(response, body);
  if (status < 200 || status > 299) {
    const quote = html ? "" : firstLine(body);
    throw new Error(`HTTP ${status} ${response.statusMessage ?? ""}`.trimEnd() + (quote === "" ? "" : `: ${quote}`));
  }
  if (html) throw new Error("got an HTML page, not a profile (does the URL name a pprof endpoint?)");
}

function isHtml(response: IncomingMessage, body: Uint8Array): boolean {
  if (/^text\/html\b/i.test(response.headers["content-type"] ?? "")) return true;
  const start = new TextDecoder().decode(body.subarray(0, 64)).trimStart().toLowerCase();
  return start.startsWith("<!doctype html") || start.startsWith("<html");
}

function firstLine(body: Uint8Array): string {
  const text = new TextDecoder().decode(body.subarray(0, 4 * QUOTE_CHARS));
  const line = text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
  return line.length > QUOTE_CHARS ? line.slice(0, QUOTE_CHARS) + "..." : line;
}

/** One line for a network failure; Node's own messages name addresses, not causes. */
function describeFailure(error: unknown): string {
  const { code, message, hostname } = error as NodeJS.ErrnoException & { hostname?: string };
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (is the program running and serving on this port?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve host name ${hostname ?? ""}`.trimEnd();
    case "ECONNRESET":
      return "connection closed before the answer was complete";
  }
  if (code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS: ${message} (--insecure accepts it)`;
  return message || code || String(error);
}

/** Writes what the URL input answered, byte for byte (--save-profile). */
export function saveFetchedProfile(sources: readonly InputSource[], path: string): void {
  const fetched = sources.find((source): source is UrlSource => source instanceof UrlSource)?.fetched;
  if (fetched !== undefined) writeFileAtomically(path, (write) => write(fetched));
}
