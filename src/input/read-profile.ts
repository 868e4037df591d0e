import { InputError, type Profile } from "../model/profile.js";
import { StackTree } from "../model/stack-tree.js";
import { FORMATS, READERS, readerNamed } from "./formats.js";
import type { GunzipStream } from "./gzip.js";
import { isGzip } from "./gzip-magic.js";
import { DEFAULT_MAX_INPUT_BYTES, inputTooLarge } from "./input-limit.js";
import { handBack } from "./read-buffers.js";
import { headOf, type ProfileReader, type ReadOptions } from "./reader.js";
import type { InputSource } from "./source.js";
import { withoutByteOrderMark } from "./text-encoding.js";

export type { ReadOptions } from "./reader.js";

/** How many decompressed bytes format detection looks at. */
const HEAD_BYTES = 65536;

/**
 * A file's size foretells its tree: each distinct frame costs a text
 * profile some bytes (about 80 in a typical folded file, never under 2), so
 * the tree is given room for one node per 16 bytes up front rather than
 * grown by copies; a denser file still grows as usual. See
 * StackTree.reserve: room left unused costs no memory.
 */
const INPUT_BYTES_PER_NODE = 16;
const MAX_RESERVED_NODES = 1 << 24;

/** Reads one source, whatever its format, into a fresh tree. */
export async function readProfile(source: InputSource, options: ReadOptions = {}): Promise<Profile & { format: string }> {
  const maxBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const copy = source.rereadable ? undefined : new CompressedCopy();
  const chunks = withoutByteOrderMark(decompressed(source, maxBytes, copy))[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let done = false;
  while (headSize < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headSize += next.value.length;
  }
  const reader = chooseReader(Buffer.concat(head, Math.min(headSize, HEAD_BYTES)), source.name, options.format);
  if (!reader.readsTwice) copy?.drop();
  const again = copy === undefined ? source : copy.source(source.name);
  const reread = reader.readsTwice && again ? () => withoutByteOrderMark(decompressed(again, maxBytes)) : undefined;
  const tree = new StackTree(reader.channels ?? 1, options.mergeMode ?? "merge");
  if (source.bytes !== undefined) tree.reserve(Math.min(source.bytes / INPUT_BYTES_PER_NODE, MAX_RESERVED_NODES));
  const input = (async function* () {
    yield* head;
    if (!done) yield* { [Symbol.asyncIterator]: () => chunks };
  })();
  const checkDeadline = () => source.deadline?.check();
  const meta = await reader.read(input, { source: source.name, tree, options, checkDeadline, reread }).catch((error: unknown) => {
    throw options.format === undefined ? withFormatsTried(error) : error;
  });
  checkDeadline();
  assertFiniteTotals(tree, source.name);
  return { ...meta, tree, format: reader.name };
}

function chooseReader(headBytes: Uint8Array, source: string, format: string | undefined): ProfileReader {
  if (format !== undefined) {
    const named = readerNamed(format);
    if (!named) throw new InputError(source, `unknown format ${JSON.stringify(format)}`);
    return named;
  }
  const head = headOf(headBytes);
  const detected = READERS.find((reader) => reader.detect(head));
  if (!detected) throw new InputError(source, `${NOT_RECOGNISED}: binary data in none of the formats torch reads (${FORMATS.join(", ")})`);
  return detected;
}

const NOT_RECOGNISED = "not a recognised profile";

/** Text that only the last resort (folded stacks) took, and that is not that either, names every format tried. */
function withFormatsTried(error: unknown): unknown {
  if (!(error instanceof InputError) || !error.message.startsWith(NOT_RECOGNISED)) return error;
  return new InputError(error.source, `${error.message}; formats tried: ${FORMATS.join(", ")}`);
}

/**
 * Values that overflow to Infinity (a 400-digit count, huge time deltas)
 * would be drawn as NaN-wide frames; say so instead. NaN and Infinity
 * anywhere in the tree reach the sum of all values, so one check per channel does.
 */
function assertFiniteTotals(tree: StackTree, source: string): void {
  for (let channel = 0; channel < tree.channels; channel++) {
    if (!Number.isFinite(tree.selfSum(channel))) {
      throw new InputError(source, "the sample values add up to more than a 64-bit number can hold");
    }
  }
}

/**
 * The compressed bytes of a gzipped source that cannot be read twice, kept
 * for a reader that reads twice (pprof): a fraction of what it would
 * otherwise hold. Dropped as soon as the reader chosen does not want them.
 */
class CompressedCopy {
  private chunks: Uint8Array[] | undefined = [];
  private gzipped = false;

  /** Keeps a compressed chunk, unless the copy was dropped; says whether it did. */
  add(chunk: Uint8Array): boolean {
    this.gzipped = true;
    this.chunks?.push(chunk);
    return this.chunks !== undefined;
  }

  drop(): void {
    this.chunks = undefined;
  }

  /** The bytes kept, as a source to read again; undefined when the input was not gzipped, or the copy was dropped. */
  source(name: string): InputSource | undefined {
    const chunks = this.chunks;
    if (!this.gzipped || chunks === undefined) return undefined;
    return {
      name,
      async *chunks() {
        yield* chunks;
      },
    };
  }
}

/**
 * The source's bytes, gunzipped on the fly when they start with the gzip
 * magic; reading stops as soon as either the bytes read or the bytes
 * decompressed pass the limit. Compressed bytes go to `copy` when given.
 */
async function* decompressed(source: InputSource, maxBytes: number, copy?: CompressedCopy): AsyncGenerator<Uint8Array> {
  let gunzip: GunzipStream | undefined;
  let read = 0;
  for await (const chunk of source.chunks()) {
    if (chunk.length === 0) continue;
    read += chunk.length;
    if (read > maxBytes) throw inputTooLarge(source.name, maxBytes, false);
    if (read === chunk.length && isGzip(chunk)) gunzip = new (await import("./gzip.js")).GunzipStream(source.name, maxBytes);
    if (gunzip) {
      // Copied first: the reader is chosen while this chunk's output is still being taken.
      const kept = copy?.add(chunk) ?? false;
      yield* gunzip.push(chunk);
      // Inflated: unless kept, the compressed bytes are not looked at again.
      if (!kept) handBack(chunk);
    } else {
      yield chunk;
    }
  }
  if (read === 0) throw new InputError(source.name, "empty input");
  gunzip?.end();
}
