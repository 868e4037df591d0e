import { type Stats, close as closeCallback, fstatSync, open as openCallback, read as readCallback, readdir as readdirCallback, readFile as readFileCallback, stat as statCallback } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describeFsError } from "../fs-errors.js";
import { InputError } from "../model/profile.js";
import type { Deadline } from "./deadline.js";
import { isUrl, UrlSource, type LiveOptions } from "./http.js";
import { ReadBuffers } from "./read-buffers.js";

/** Somewhere profile bytes come from: a file, standard input or a URL. */
export interface InputSource {
  /** How errors name it: the path, `<stdin>` or the URL. */
  readonly name: string;
  chunks(): AsyncIterable<Uint8Array>;
  /** When reading it must be over (--timeout); set once reading starts. */
  readonly deadline?: Deadline;
  /** Its size in bytes, when known before reading (a regular file). */
  readonly bytes?: number;
  /** True when `chunks()` may be called again for the same bytes (a regular file given by name). */
  readonly rereadable?: boolean;
}

export const STDIN_NAME = "<stdin>";

// Node's callback API, promised: node:fs/promises would load about 2.6 ms
// of further modules (readline among them) at the start of every run.
const close = promisify(closeCallback);
const open = promisify(openCallback);
const read = promisify(readCallback);
const readdir = promisify(readdirCallback);
const readFile = promisify(readFileCallback);
const stat = promisify(statCallback);

/**
 * Standard input. A file redirected to it (`torch < perf.txt`) is read like
 * a file given by name: its size is known and its chunks go into reused
 * buffers (see chunksOf). A pipe goes through process.stdin, which reads as
 * data arrives: reads of a pipe in Node's thread pool, one chunk ahead, were
 * slower (measured on `perf script`-sized input).
 */
export function stdinSource(): InputSource {
  const bytes = regularFileSize(STDIN_FD);
  if (bytes === undefined) return { name: STDIN_NAME, chunks: () => process.stdin };
  return {
    name: STDIN_NAME,
    bytes,
    async *chunks() {
      try {
        yield* readChunks((buffer) => readInto(STDIN_FD, buffer));
      } catch (error) {
        throw new InputError(STDIN_NAME, describeFsError(error as NodeJS.ErrnoException, "read"));
      }
    },
  };
}

const STDIN_FD = 0;

/** The size of the regular file open as `fd`; undefined for anything else (a pipe, a terminal, a closed descriptor). */
function regularFileSize(fd: number): number | undefined {
  try {
    const info = fstatSync(fd);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/** Reads into all of `buffer` from the descriptor's current position; resolves to the bytes read, 0 at the end. */
async function readInto(fd: number, buffer: Buffer): Promise<number> {
  return (await read(fd, buffer, 0, buffer.length, null)).bytesRead;
}

/** Files up to this size are read in one go. */
const WHOLE_READ_MAX_BYTES = 4 * 1024 * 1024;
/** Larger ones in chunks of this size. */
const CHUNK_BYTES = 256 * 1024;

export function fileSource(path: string, bytes?: number): InputSource {
  return {
    name: path,
    bytes,
    rereadable: bytes !== undefined,
    async *chunks() {
      try {
        // A small file is read whole: chunks each cost a round trip, and the
        // last one a copy, about 6 ms of a 1 MB file's run.
        if (bytes !== undefined && bytes <= WHOLE_READ_MAX_BYTES) yield await readFile(path);
        else yield* chunksOf(path);
      } catch (error) {
        throw new InputError(path, describeFsError(error as NodeJS.ErrnoException, "read"));
      }
    },
  };
}

/** A file's bytes in chunks (see readChunks). */
async function* chunksOf(path: string): AsyncGenerator<Uint8Array> {
  const fd = await open(path, "r");
  try {
    yield* readChunks((buffer) => readInto(fd, buffer));
  } finally {
    await close(fd);
  }
}

/**
 * The chunks that `fill` (which resolves to the bytes it put into a buffer,
 * 0 at the end) reads into buffers that readers may hand back (see
 * ReadBuffers). The next chunk is read while the reader works on this one,
 * so that it rarely waits for the disk (or the thread that reads it).
 */
async function* readChunks(fill: (buffer: Buffer) => Promise<number>): AsyncGenerator<Uint8Array> {
  const buffers = new ReadBuffers(CHUNK_BYTES);
  const readNext = async () => {
    const buffer = buffers.take();
    return buffer.subarray(0, await fill(buffer));
  };
  let next = readNext();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) return;
      next = readNext();
      yield chunk;
    }
  } finally {
    // A reader that stops early leaves a read in flight: it ends before the source is closed.
    await next.catch(() => undefined);
  }
}

/**
 * Expands command-line arguments into sources: `-` is standard input, an
 * http(s) URL is fetched, a directory means every regular file in it (sorted,
 * hidden files skipped).
 */
export async function expandArguments(args: readonly string[], live: LiveOptions = {}): Promise<InputSource[]> {
  const sources: InputSource[] = [];
  for (const arg of args) {
    if (arg === "-") {
      sources.push(stdinSource());
      continue;
    }
    if (isUrl(arg)) {
      sources.push(new UrlSource(arg, live));
      continue;
    }
    const info = await statOf(arg);
    if (!info.isDirectory()) {
      sources.push(fileSourceOf(arg, info));
      continue;
    }
    const entries = (await readdir(arg, { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith("."))
      .map((e) => e.name)
      .sort();
    if (entries.length === 0) throw new InputError(arg, "directory holds no profiles");
    for (const name of entries) sources.push(await pathSource(join(arg, name)));
  }
  return sources;
}

/** A file by its path, its size looked up first (see fileSourceOf). */
export async function pathSource(path: string): Promise<InputSource> {
  return fileSourceOf(path, await statOf(path));
}

async function statOf(path: string): Promise<Stats> {
  return stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(path, describeFsError(error, "read"));
  });
}

/** A regular file's size is known, so that it is read in chunks, given room in the tree, and can be read twice. */
function fileSourceOf(path: string, info: Stats): InputSource {
  return fileSource(path, info.isFile() ? info.size : undefined);
}
