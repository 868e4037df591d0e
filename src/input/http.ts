/**
 * Profiles fetched from a live program serving Go's net/http/pprof, e.g.
 * `torch http://localhost:6060 --seconds 5`.
 *
 * The transport is node:http/node:https rather than fetch: Node 20's fetch
 * cannot be told to accept one self-signed certificate (`--insecure`) without
 * the undici package, and one transport for both cases keeps a single path for
 * redirects, timeouts and error messages.
 */
import type { IncomingMessage } from "node:http";
import { InputError } from "../model/profile.js";
import { OutputFile } from "../output/atomic-file.js";
import { showProgress } from "../progress.js";
import { Deadline } from "./deadline.js";
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

/**
 * A profile fetched from a URL and streamed to the reader as it arrives, so
 * that the input size limit stops an endless body at the limit. --timeout
 * covers everything from the request to the end of decoding: the request
 * is aborted when the time is up, and the readers look at `deadline`.
 */
export class UrlSource implements InputSource {
  readonly name: string;
  private readonly url: URL;
  /** The body as fetched, for --save-profile; kept once the body is complete. */
  private saved?: OutputFile;
  deadline?: Deadline;

  constructor(
    arg: string,
    private readonly live: LiveOptions,
  ) {
    this.url = profileUrl(arg, live);
    this.name = this.url.href;
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    const seconds = collectionSeconds(this.url);
    const timeout = this.live.timeout ?? (seconds ?? 0) + DEFAULT_TIMEOUT;
    const timeUp = new InputError(this.name, `no complete answer within ${timeout} s (see --timeout)`);
    this.deadline = new Deadline(Date.now() + timeout * 1000, timeUp);
    const signal = AbortSignal.timeout(timeout * 1000);
    const endpoint = endpointOf(this.url);
    let stopShowing =
      seconds === undefined
        ? () => {}
        : showProgress(process.stderr, `${endpoint === "profile" ? "CPU" : endpoint} profile from ${this.name}`, seconds);
    // Collection is over when the answer starts.
    const stopProgress = () => {
      stopShowing();
      stopShowing = () => {};
    };
    let response: IncomingMessage | undefined;
    let complete = false;
    try {
      response = await getFollowingRedirects(this.url, this.live.insecure ?? false, signal);
      const body = response[Symbol.asyncIterator]();
      const first = await checkAnswer(response, body);
      stopProgress();
      if (this.live.saveProfile !== undefined) this.saved = new OutputFile(this.live.saveProfile);
      for (let next: IteratorResult<Buffer> = first; !next.done; next = await body.next()) {
        this.saved?.write(next.value);
        yield next.value;
      }
      // A body that ends by the connection closing (no length given) looks complete when cut off.
      if (signal.aborted) throw timeUp;
      const failure = lateFailures.get(response);
      if (failure !== undefined) throw failure;
      if (!response.complete) throw new InputError(this.name, "connection closed before the answer was complete");
      complete = true;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw signal.aborted ? timeUp : new InputError(this.name, describeFailure(error));
    } finally {
      stopProgress();
      // Stops the download when the reader gives up early (bad data, input size limit).
      response?.destroy();
      if (!complete) this.saved?.abandon();
    }
  }

  /** Puts the fetched body in place as the --save-profile file. */
  keepSavedProfile(): void {
    this.saved?.commit();
  }
}

/**
 * Errors the request reported after its answer had started. A connection
 * reset while a body without a length is read still ends the body as if it
 * were complete; only the request hears of the reset.
 */
const lateFailures = new WeakMap<IncomingMessage, Error>();

/** node:http and node:https load only for a URL input: every other run would pay for them at start-up. */
async function get(url: URL, insecure: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  const [http, https] = await Promise.all([import("node:http"), import("node:https")]);
  return new Promise((resolve, reject) => {
    let answer: IncomingMessage | undefined;
    const onAnswer = (response: IncomingMessage) => {
      answer = response;
      resolve(response);
    };
    const request =
      url.protocol === "https:" ? https.get(url, { signal, rejectUnauthorized: !insecure }, onAnswer) : http.get(url, { signal }, onAnswer);
    request.on("error", (error) => {
      if (answer === undefined) return reject(error);
      lateFailures.set(answer, error);
      answer.destroy(error);
    });
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

/**
 * Turns away error statuses (quoting the body's first line: Go's handlers
 * answer in plain text) and web pages; returns the body's first chunk.
 */
async function checkAnswer(response: IncomingMessage, body: AsyncIterator<Buffer>): Promise<IteratorResult<Buffer>> {
  const status = response.statusCode ?? 0;
  const first = await body.next();
  const start: Uint8Array = first.done ? new Uint8Array(0) : first.value;
  const html = isHtml(response, start);
  if (status < 200 || status > 299) {
    const quote = html ? "" : firstLine(start);
    throw new Error(`HTTP ${status} ${response.statusMessage ?? ""}`.trimEnd() + (quote === "" ? "" : `: ${quote}`));
  }
  if (html) throw new Error("got an HTML page, not a profile (does the URL name a pprof endpoint?)");
  return first;
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

/** Keeps what the URL input answered, byte for byte (--save-profile), once the run has succeeded. */
export function saveFetchedProfile(sources: readonly InputSource[]): void {
  for (const source of sources) if (source instanceof UrlSource) source.keepSavedProfile();
}
