/**
 * Inputs that never end or that explode (issue 13): one limit on the bytes
 * read and decompressed for every source (--max-input-size, stopped while
 * streaming), --timeout over the whole fetch and decode, and a body cut off
 * by the timeout or a reset as an error with no output. The bombs are made
 * here and kept small by lowering the limit through the flag; every server
 * writes a bounded number of bytes, and counts how many it got to write.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { InputError, type InputSource, readProfile } from "torch-flamegraph";
import { Deadline, parseByteSize } from "#internals";
import { repoRoot, runCli, runCliAsync } from "./support/cli.js";
import { serve, type LocalServer } from "./support/local-server.js";
import { scratchDir } from "./support/scratch.js";

const MIB = 2 ** 20;
const LIMIT_ERROR = (source: string, what: string) => `torch: ${source}: ${what} the input size limit of 1 MiB (see --max-input-size)\n`;

/** Folded text of at least `bytes` bytes, valid throughout, so that only the limit can stop it. */
function foldedText(bytes: number): Buffer {
  const line = "main;handler;work 1\n";
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)));
}

/** A gzip bomb that starts like a pprof profile and stays valid protobuf: one string of `bytes` zeros. */
function pprofStringBomb(bytes: number): Buffer {
  // sample_type {type: 1}, then string_table (field 6) holding one huge string.
  const header = Buffer.from([0x0a, 0x02, 0x08, 0x01, 0x32]);
  const length: number[] = [];
  for (let n = bytes; ; n = Math.floor(n / 128)) {
    length.push((n % 128) | (n >= 128 ? 0x80 : 0));
    if (n < 128) break;
  }
  return gzipSync(Buffer.concat([header, Buffer.from(length), Buffer.alloc(bytes)]), { level: 1 });
}

/** A source that hands out `bytes` in pieces and counts how many were taken. */
function countingSource(bytes: Uint8Array, piece = 16 * 1024): InputSource & { taken(): number } {
  let taken = 0;
  return {
    name: "counted",
    taken: () => taken,
    async *chunks() {
      for (let at = 0; at < bytes.length; at += piece) {
        taken += Math.min(piece, bytes.length - at);
        yield bytes.subarray(at, at + piece);
      }
    },
  };
}

describe("--max-input-size bounds every source", () => {
  test("a file one byte over the limit is refused with one line naming the limit and the flag; one at the limit is read", () => {
    const dir = scratchDir("limit");
    const atLimit = join(dir, "at-limit.folded");
    const overLimit = join(dir, "over-limit.folded");
    const text = foldedText(MIB).subarray(0, MIB);
    writeFileSync(atLimit, text.subarray(0, text.lastIndexOf(10) + 1));
    writeFileSync(overLimit, Buffer.concat([text, Buffer.from("\n")]));
    assert.equal(runCli(["--max-input-size", "1M", "--folded", atLimit]).status, 0);
    const over = runCli(["--max-input-size", "1MiB", "-o", join(dir, "out.svg"), overLimit]);
    assert.equal(over.status, 1);
    assert.equal(over.stderr, LIMIT_ERROR(overLimit, "is larger than"));
    assert.deepEqual(readdirSync(dir).sort(), ["at-limit.folded", "over-limit.folded"]);
  });

  test("standard input past the limit is refused the same way", () => {
    const run = runCli(["--max-input-size", "1M", "-"], foldedText(3 * MIB));
    assert.equal(run.status, 1);
    assert.equal(run.stderr, LIMIT_ERROR("<stdin>", "is larger than"));
  });

  test("a gzip bomb of text stops at the limit of decompressed bytes, long before its end", async () => {
    const bomb = gzipSync(foldedText(64 * MIB), { level: 9 });
    const source = countingSource(bomb, 1024);
    await assert.rejects(readProfile(source, { maxInputBytes: MIB }), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, "decompresses to more than the input size limit of 1 MiB (see --max-input-size)");
      return true;
    });
    assert.ok(source.taken() < bomb.length / 8, `read ${source.taken()} of ${bomb.length} compressed bytes`);
  });

  test("a gzip bomb that is valid protobuf stops at the limit before the pprof reader gathers it", () => {
    const dir = scratchDir("limit");
    const path = join(dir, "bomb.pb.gz");
    writeFileSync(path, pprofStringBomb(64 * MIB));
    const run = runCli(["--max-input-size", "1M", path]);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, LIMIT_ERROR(path, "decompresses to more than"));
  });

  test("a gzip bomb of zeros behind a valid first field is refused at its first bad field, whatever the limit", async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from([0x0a, 0x02, 0x08, 0x01]), Buffer.alloc(64 * MIB)]), { level: 1 });
    const source = countingSource(bomb);
    await assert.rejects(readProfile(source), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, "corrupt pprof protobuf (field number 0 in the top-level field at offset 4)");
      return true;
    });
    assert.ok(source.taken() < bomb.length / 8, `read ${source.taken()} of ${bomb.length} compressed bytes`);
  });

  test("sizes take coreutils' units; anything else is a usage error; --help states the default", () => {
    const sizes: Array<[string, number | undefined]> = [
      ["1", 1], ["1K", 1024], ["1KiB", 1024], ["1kb", 1000], ["2M", 2 * MIB], ["1.5G", 1.5 * 2 ** 30], ["4GiB", 4 * 2 ** 30], ["3 GB", 3e9],
      ["", undefined], ["0", undefined], ["-1", undefined], ["1X", undefined], ["lots", undefined], ["1e3", undefined],
    ];
    for (const [text, bytes] of sizes) assert.equal(parseByteSize(text), bytes, JSON.stringify(text));
    const run = runCli(["--max-input-size", "lots", join(repoRoot, "samples/goprog/cpu.pprof")]);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'torch: --max-input-size takes a size such as 500M or 4GiB, not "lots"\nTry \'torch --help\'.\n');
    assert.match(runCli(["--help"]).stdout, /--max-input-size[^]*\[default: "4GiB"\]/);
  });
});

describe("URL inputs: the limit, --timeout and cut-off bodies", { timeout: 120_000 }, () => {
  const servers: LocalServer[] = [];
  after(() => servers.forEach((server) => server.close()));

  /** Serves `total` bytes of `piece` in order, with back-pressure; resolves with how many the server got to write. */
  async function endlessBody(piece: Buffer, total: number, headers: Record<string, string> = {}): Promise<{ url: string; written: Promise<number> }> {
    let report: (bytes: number) => void = () => {};
    const written = new Promise<number>((resolve) => (report = resolve));
    const server = await serve((_, response: ServerResponse) => {
      response.writeHead(200, headers);
      let bytes = 0;
      const pump = () => {
        while (bytes < total && !response.destroyed) {
          bytes += piece.length;
          if (!response.write(piece)) return void response.once("drain", pump);
        }
        response.end();
      };
      response.on("close", () => report(bytes));
      pump();
    });
    servers.push(server);
    return { url: `${server.url}/debug/pprof/heap`, written };
  }

  test("a body past the limit is refused while it streams, and the download stops", async () => {
    const total = 512 * MIB;
    const { url, written } = await endlessBody(foldedText(64 * 1024), total);
    const dir = scratchDir("limit");
    const run = await runCliAsync([url, "--max-input-size", "1M", "-o", join(dir, "out.svg"), "--save-profile", join(dir, "saved")]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, LIMIT_ERROR(url, "is larger than"));
    assert.ok((await written) < total / 4, `the server wrote ${await written} bytes`);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("a gzip bomb over HTTP stops at the limit of decompressed bytes", async () => {
    const server = await serve((_, response) => response.end(pprofStringBomb(64 * MIB)));
    servers.push(server);
    const url = `${server.url}/debug/pprof/heap`;
    const run = await runCliAsync([url, "--max-input-size", "1M"]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, LIMIT_ERROR(url, "decompresses to more than"));
  });

  /**
   * A server that answers at once, then sends one folded line every 200 ms,
   * 100 in all, over a body that ends when the connection closes (no length:
   * the case where a cut-off body used to look complete).
   */
  async function tricklingServer(end: "slowly" | "reset"): Promise<string> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
        let line = 0;
        const timer = setInterval(() => {
          if (socket.destroyed) return clearInterval(timer);
          if (end === "reset" && line === 3) {
            clearInterval(timer);
            // Once the line has left, so that the peer sees a reset and not a close.
            return void socket.write(`main;step${line} 1\n`, () => setTimeout(() => socket.resetAndDestroy(), 100));
          }
          socket.write(`main;step${line} 1\n`);
          if (++line === 100) {
            clearInterval(timer);
            socket.end();
          }
        }, 200);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push({ url: "", close: () => (sockets.forEach((socket) => socket.destroy()), server.close()) });
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}/debug/pprof/heap`;
  }

  test("--timeout in the middle of a body is an error saying so, and no output file is written", async () => {
    const url = await tricklingServer("slowly");
    const dir = scratchDir("timeout");
    const run = await runCliAsync([url, "--timeout", "2", "-o", join(dir, "out.svg"), "--save-profile", join(dir, "saved")]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr, `torch: ${url}: no complete answer within 2 s (see --timeout)\n`);
    assert.equal(existsSync(join(dir, "out.svg")), false);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("a connection reset in the middle of a body is an error, not a shorter graph", async () => {
    const url = await tricklingServer("reset");
    const dir = scratchDir("reset");
    const run = await runCliAsync([url, "-o", join(dir, "out.svg")]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr, `torch: ${url}: connection closed before the answer was complete\n`);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("--timeout also covers decoding: the pprof reader gives up once the time is past", async () => {
    const bytes = readFileSync(join(repoRoot, "samples/goprog/cpu.pprof"));
    const timeUp = new InputError("late", "no complete answer within 1 s (see --timeout)");
    const source: InputSource = {
      name: "late",
      deadline: new Deadline(Date.now() - 1, timeUp),
      async *chunks() {
        yield bytes;
      },
    };
    await assert.rejects(readProfile(source), (error) => error === timeUp);
  });
});
