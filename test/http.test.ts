/**
 * URL inputs (issue 5): torch profiles a live Go program over HTTP, and turns
 * every way a server can fail into one clear line. The truth for the drawn
 * stacks is `go tool pprof -raw` on the bytes torch saved (--save-profile).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { RequestListener } from "node:http";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { showProgress } from "#internals";
import { go } from "./support/go-pprof.js";
import { parsePprofRaw } from "./support/pprof-raw.js";
import { runCliAsync as torch, type AsyncCliResult } from "./support/cli.js";
import { serve, type LocalServer } from "./support/local-server.js";
import { scratchDir } from "./support/scratch.js";

const goServerSource = fileURLToPath(new URL("../../test/fixtures/goserver/", import.meta.url));
const heapSample = fileURLToPath(new URL("../../samples/goprog/heap.pprof", import.meta.url));

const freshDir = () => scratchDir("http");

/** `a;b;c` -> inclusive value for every frame the SVG draws, the root left out. */
function svgFramePaths(svg: string): Map<string, number> {
  const frameHeight = Number(/data-frame-height="([^"]+)"/.exec(svg)?.[1]);
  const frame = /<g data-x="[^"]*" data-v="([^"]*)"><title>([^<]*)<\/title><rect x="[^"]*" y="([^"]*)"/g;
  const paths = new Map<string, number>();
  const ancestors: string[] = [];
  let rootY: number | undefined;
  for (const [, value, title, y] of svg.matchAll(frame)) {
    rootY ??= Number(y);
    const depth = Math.round((rootY - Number(y)) / frameHeight);
    ancestors.length = depth;
    ancestors.push(unescapeXml(title.slice(0, title.lastIndexOf(" ("))));
    if (depth > 0) paths.set(ancestors.slice(1).join(";"), Number(value));
  }
  return paths;
}

function assertDraws(svg: string, functions: string[]): void {
  const names = new Set([...svgFramePaths(svg).keys()].map((path) => path.split(";").pop()!));
  for (const name of functions) assert.ok(names.has(name), `${name} is not among ${[...names].join(", ")}`);
}

function unescapeXml(text: string): string {
  const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, body: string) =>
    body.startsWith("#x") || body.startsWith("#X")
      ? String.fromCodePoint(parseInt(body.slice(2), 16))
      : body.startsWith("#")
        ? String.fromCodePoint(Number(body.slice(1)))
        : (named[body] ?? entity),
  );
}

/** What Go says every frame of the profile's default sample type adds up to. */
function goFramePaths(profileFile: string): Map<string, number> {
  const raw = parsePprofRaw(go(["tool", "pprof", "-raw", profileFile]));
  const paths = new Map<string, number>();
  for (const [stack, value] of raw.stacks.get(raw.defaultSampleType!)!) {
    const frames = stack.split(";");
    for (let depth = 1; depth <= frames.length; depth++) {
      const path = frames.slice(0, depth).join(";");
      paths.set(path, (paths.get(path) ?? 0) + value);
    }
  }
  return paths;
}

function sorted(paths: Map<string, number>): [string, number][] {
  return [...paths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function assertDrawnFrom(svg: string, profileFile: string): void {
  assert.deepEqual(sorted(svgFramePaths(svg)), sorted(goFramePaths(profileFile)));
}

function assertSvg(stdout: string): void {
  assert.match(stdout, /^<\?xml[^]*<\/svg>\n?$/, "stdout holds exactly one SVG document");
}

describe("a live Go program serving net/http/pprof", { timeout: 180_000 }, () => {
  let server: ChildProcess | undefined;
  let base = "";

  before(async () => {
    const binary = join(freshDir(), "goserver");
    go(["build", "-o", binary, "."], goServerSource);
    // The server exits when its stdin closes, so it cannot outlive this test.
    server = spawn(binary, [], { stdio: ["pipe", "pipe", "inherit"] });
    const address = await firstLine(server, 20_000);
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    base = `http://${address}`;
  });
  after(() => {
    server?.kill();
  });

  test("a base URL with --seconds 1 draws the hot functions; --save-profile keeps the bytes drawn", async () => {
    const saved = join(freshDir(), "cpu.pb.gz");
    const run = await torch([base, "--seconds", "1", "--minwidth", "0", "--save-profile", saved]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, `torch: collecting a 1 s CPU profile from ${base}/debug/pprof/profile?seconds=1\n`);
    assertSvg(run.stdout);
    assertDraws(run.stdout, ["main.keepBusy", "main.countPrimes", "main.mixHashes"]);
    assert.deepEqual([...readFileSync(saved).subarray(0, 2)], [0x1f, 0x8b], "saved as Go sent it: gzipped");
    assertDrawnFrom(run.stdout, saved);
  });

  test("--profile heap fetches the heap profile, without a duration or progress line", async () => {
    const saved = join(freshDir(), "heap.pb.gz");
    const run = await torch([base, "--profile", "heap", "--minwidth", "0", "--save-profile", saved]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    assertDraws(run.stdout, ["main.hoardMemory"]);
    assertDrawnFrom(run.stdout, saved);
  });

  test("go-torch's --suffix picks the endpoint for the pprof index URL", async () => {
    const run = await torch([`${base}/debug/pprof/`, "--suffix", "/debug/pprof/goroutine"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /<title>main\.keepBusy \(1 goroutines?,/);
  });

  test("a second CPU profile while one runs fails with Go's own message", async () => {
    const first = torch([`${base}/debug/pprof/profile?seconds=4`]);
    await delay(1500); // well inside the first one's 4 s
    const second = await torch([`${base}/debug/pprof/profile?seconds=1`]);
    assert.equal(second.code, 1);
    assert.equal(second.stdout, "");
    assert.equal(
      second.stderr,
      `torch: collecting a 1 s CPU profile from ${base}/debug/pprof/profile?seconds=1\n` +
        `torch: ${base}/debug/pprof/profile?seconds=1: HTTP 500 Internal Server Error: Could not enable CPU profiling: cpu profiling already in use\n`,
    );
    assert.equal((await first).code, 0);
  });
});

function firstLine(child: ChildProcess, limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no address printed within ${limitMs} ms`)), limitMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(text.slice(0, text.indexOf("\n")));
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}) before printing its address`)));
  });
}

/** torch must fail with exactly one line and leave neither the SVG nor the saved profile behind. */
async function assertFails(url: string, expected: RegExp | string, extraArgs: string[] = []): Promise<AsyncCliResult> {
  const dir = freshDir();
  const run = await torch([url, "-o", join(dir, "out.svg"), "--save-profile", join(dir, "saved.pprof"), ...extraArgs]);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, "");
  const lines = run.stderr.split("\n").filter((line) => !line.startsWith("torch: collecting "));
  assert.equal(lines.length, 2, run.stderr);
  assert.equal(lines[1], "");
  if (typeof expected === "string") assert.equal(lines[0], expected);
  else assert.match(lines[0], expected);
  assert.deepEqual(readdirSync(dir), []);
  return run;
}

describe("servers that misbehave on purpose", { timeout: 120_000 }, () => {
  const servers: LocalServer[] = [];
  const start = async (handler: RequestListener) => {
    const server = await serve(handler);
    servers.push(server);
    return server.url;
  };
  after(() => {
    for (const server of servers) server.close();
  });

  test("HTTP 404 quotes the first line of the text body", async () => {
    const url = await start((_, response) => {
      response.writeHead(404, { "content-type": "text/plain" }).end("\nno such profile here\nsecond line\n");
    });
    await assertFails(`${url}/debug/pprof/heap`, `torch: ${url}/debug/pprof/heap: HTTP 404 Not Found: no such profile here`);
  });

  test("HTTP 500 quotes Go's message", async () => {
    const url = await start((_, response) => {
      response.writeHead(500, { "content-type": "text/plain; charset=utf-8", "x-go-pprof": "1" });
      response.end("Could not enable CPU profiling: cpu profiling already in use\n");
    });
    await assertFails(
      url,
      `torch: ${url}/debug/pprof/profile?seconds=30: HTTP 500 Internal Server Error: Could not enable CPU profiling: cpu profiling already in use`,
    );
  });

  test("an HTML page is not a profile, whatever its content type", async () => {
    const page = "<!DOCTYPE html>\n<html><body>/debug/pprof/</body></html>\n";
    const typed = await start((_, response) => response.writeHead(200, { "content-type": "text/html" }).end(page));
    const untyped = await start((_, response) => response.writeHead(200, { "content-type": "text/plain" }).end(page));
    for (const url of [typed, untyped]) {
      await assertFails(`${url}/debug/pprof/heap`, `torch: ${url}/debug/pprof/heap: got an HTML page, not a profile (does the URL name a pprof endpoint?)`);
    }
  });

  test("a body that is not a profile is named by its URL", async () => {
    const url = await start((_, response) => response.end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x02, 0x9c])));
    await assertFails(`${url}/debug/pprof/heap`, /^torch: http:\/\/[\d.:]+\/debug\/pprof\/heap: not a recognised profile: binary data in none of the formats torch reads \(pprof, /);
  });

  test("a body cut short", async () => {
    const url = await start((_, response) => {
      response.writeHead(200, { "content-length": "1000" }).write("partial");
      setTimeout(() => response.socket?.destroy(), 50);
    });
    await assertFails(`${url}/debug/pprof/heap`, `torch: ${url}/debug/pprof/heap: connection closed before the answer was complete`);
  });

  test("a server that never answers hits --timeout", async () => {
    const url = await start(() => {});
    const run = await assertFails(`${url}/debug/pprof/heap`, `torch: ${url}/debug/pprof/heap: no complete answer within 1 s (see --timeout)`, [
      "--timeout",
      "1",
    ]);
    assert.ok(run.ms < 10_000, `gave up after ${run.ms} ms`);
  });

  test("a closed port is connection refused", async () => {
    const closed = await serve(() => {});
    closed.close();
    await assertFails(`${closed.url}/debug/pprof/heap`, `torch: ${closed.url}/debug/pprof/heap: connection refused (is the program running and serving on this port?)`);
  });

  test("a host that does not resolve (.invalid never does)", async () => {
    await assertFails("http://torch-test.invalid:6060", "torch: http://torch-test.invalid:6060/debug/pprof/profile?seconds=30: cannot resolve host name torch-test.invalid");
  });

  test("a redirect chain is followed, and the saved profile is the final body byte for byte", async () => {
    const profile = readFileSync(heapSample);
    const url = await start((request, response) => {
      const redirects: Record<string, [number, string]> = {
        "/debug/pprof/heap": [302, "/hop/1"],
        "/hop/1": [307, "2"], // relative: /hop/2
        "/hop/2": [301, `http://${request.headers.host}/final`],
      };
      const redirect = redirects[request.url ?? ""];
      if (redirect) response.writeHead(redirect[0], { location: redirect[1] }).end();
      else if (request.url === "/final") response.end(profile);
      else response.writeHead(404).end(`unexpected ${request.url}`);
    });
    const dir = freshDir();
    const saved = join(dir, "saved.pprof");
    const run = await torch([url, "--profile", "heap", "--minwidth", "0", "--save-profile", saved]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(readFileSync(saved).equals(profile));
    assertDrawnFrom(run.stdout, heapSample);
  });

  test("a redirect loop gives up", async () => {
    const url = await start((_, response) => response.writeHead(302, { location: "/debug/pprof/heap" }).end());
    await assertFails(`${url}/debug/pprof/heap`, `torch: ${url}/debug/pprof/heap: more than 20 redirects`);
  });
});

describe("HTTPS with a self-signed certificate", { timeout: 60_000 }, () => {
  let server: LocalServer | undefined;
  before(async () => {
    const dir = freshDir();
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    const profile = readFileSync(heapSample);
    server = await serve((_, response) => response.end(profile), { key: readFileSync(key), cert: readFileSync(cert) });
  });
  after(() => server?.close());

  test("is refused in one line that points at --insecure", async () => {
    const url = `${server!.url}/debug/pprof/heap`;
    await assertFails(url, `torch: ${url}: TLS: self-signed certificate (--insecure accepts it)`);
  });

  test("is accepted with --insecure", async () => {
    const run = await torch([`${server!.url}/debug/pprof/heap`, "--insecure", "--minwidth", "0"]);
    assert.equal(run.code, 0, run.stderr);
    assertDrawnFrom(run.stdout, heapSample);
  });
});

describe("options that cannot apply are usage errors (exit 2, nothing fetched)", () => {
  const cases: [string, string[], string][] = [
    ["an unknown endpoint", ["http://127.0.0.1:9", "--profile", "trace"], '--profile takes one of profile, heap, allocs, block, mutex, goroutine, threadcreate, not "trace"'],
    ["--profile on a URL that names an endpoint", ["http://127.0.0.1:9/debug/pprof/heap", "--profile", "allocs"], "--profile picks the endpoint of a base URL, but http://127.0.0.1:9/debug/pprof/heap names one already"],
    ["--save-profile without a URL", [heapSample, "--save-profile", "x.pprof"], "--save-profile needs exactly one URL input"],
    ["--save-profile with two URLs", ["http://127.0.0.1:9", "http://127.0.0.1:10", "--save-profile", "x.pprof"], "--save-profile needs exactly one URL input"],
    ["a fractional --seconds", ["http://127.0.0.1:9", "--seconds", "1.5"], "--seconds must be a whole number of seconds (Go's pprof handler ignores anything else)"],
  ];
  for (const [what, args, message] of cases) {
    test(what, async () => {
      const run = await torch(args);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, `torch: ${message}\nTry 'torch --help'.\n`);
    });
  }
});

describe("progress while a profile is collected", () => {
  test("a terminal gets a bar redrawn in place a few times a second, then cleared", async () => {
    const writes: string[] = [];
    const stream = { isTTY: true, columns: 50, write: (text: string) => writes.push(text) };
    const stop = showProgress(stream, "CPU profile from http://127.0.0.1:6060/debug/pprof/profile?seconds=1", 1);
    await delay(1200);
    stop();
    const draws = writes.slice(0, -1);
    assert.equal(writes.at(-1), "\r\x1b[K");
    assert.ok(draws.length >= 3 && draws.length <= 7, `${draws.length} draws in 1.2 s`);
    for (const draw of draws) {
      assert.match(draw, /^\rtorch: \[[#-]{20}\] [01]\/1 s collecting/);
      assert.ok(draw.length <= 50, "never wider than the terminal");
    }
    assert.ok(draws[0].startsWith("\rtorch: [--------------------] 0/1 s"));
    assert.ok(draws.at(-1)!.startsWith("\rtorch: [####################] 1/1 s"));
  });

  test("anything else gets one line", () => {
    const writes: string[] = [];
    const stop = showProgress({ write: (text: string) => writes.push(text) }, "CPU profile from http://x/debug/pprof/profile?seconds=5", 5);
    stop();
    assert.deepEqual(writes, ["torch: collecting a 5 s CPU profile from http://x/debug/pprof/profile?seconds=5\n"]);
  });
});
