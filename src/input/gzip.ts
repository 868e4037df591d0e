/**
 * Gunzipping with pako, loaded only by runs that meet gzip (see isGzip in
 * gzip-magic.ts, which detection uses without loading this).
 */
import { Z_BUF_ERROR, Z_NO_FLUSH, Z_OK, Z_STREAM_END, ZStream, zlibInflate, zlibInflateInit2, zlibInflateReset } from "pako";
import { InputError } from "../model/profile.js";
import { DEFAULT_MAX_INPUT_BYTES, inputTooLarge } from "./input-limit.js";
import { handBack, ReadBuffers } from "./read-buffers.js";

/** Compressed bytes fed to the inflater at a time by `gunzipChunks`. */
const SLICE_BYTES = 1 << 16;
/** Decompressed bytes handed on at a time. */
const OUTPUT_BYTES = 1 << 16;
/** zlib's window bits for gzip only: the largest window (15), plus 16 for the gzip wrapper. */
const GZIP_WINDOW_BITS = 15 + 16;

/**
 * Gunzips a whole buffer, within the same limit as a stream, in chunks as
 * they are inflated: the caller need not hold the whole output at once.
 */
export function* gunzipChunks(bytes: Uint8Array, source: string, maxBytes = DEFAULT_MAX_INPUT_BYTES): Generator<Uint8Array> {
  const stream = new GunzipStream(source, maxBytes);
  for (let start = 0; start < bytes.length; start += SLICE_BYTES) yield* stream.push(bytes.subarray(start, start + SLICE_BYTES));
  stream.end();
}

/**
 * Incremental gunzip of a streamed input, through pako's zlib interface, so
 * that the output goes into buffers of our own: pako's Inflate makes a new
 * one per 64 KiB of output, and those piled up as garbage, 30 MB of a
 * 30 MB profile's peak memory. A chunk handed back (see ReadBuffers) is
 * inflated into again. Chunks come out as they are inflated, and are
 * counted, so a gzip bomb stops at `maxBytes` of output rather than after
 * inflating a whole input chunk (up to 1032 times its size).
 */
export class GunzipStream {
  private readonly stream = new ZStream();
  private readonly buffers = new ReadBuffers(OUTPUT_BYTES);
  private produced = 0;
  /** A gzip member has ended; another may follow (as `cat a.gz b.gz` makes them). */
  private betweenMembers = false;
  /** Zero bytes followed the last member: padding, ignored to the end, as gzip(1) does. */
  private padded = false;

  constructor(
    private readonly source: string,
    private readonly maxBytes: number,
  ) {
    zlibInflateInit2(this.stream, GZIP_WINDOW_BITS);
  }

  /** Feeds compressed bytes; yields the decompressed bytes they make, a buffer at a time. */
  *push(chunk: Uint8Array): Generator<Uint8Array> {
    const stream = this.stream;
    stream.input = chunk;
    stream.next_in = 0;
    stream.avail_in = chunk.length;
    for (;;) {
      if (this.padded || (this.betweenMembers && !this.nextMember())) return;
      const output = this.buffers.take();
      stream.output = output;
      stream.next_out = 0;
      stream.avail_out = output.length;
      const status = zlibInflate(stream, Z_NO_FLUSH);
      if (status !== Z_OK && status !== Z_STREAM_END && status !== Z_BUF_ERROR) {
        throw new InputError(this.source, `corrupt gzip data (${stream.msg || `zlib status ${status}`})`);
      }
      this.betweenMembers = status === Z_STREAM_END;
      if (stream.next_out > 0) {
        this.produced += stream.next_out;
        if (this.produced > this.maxBytes) throw inputTooLarge(this.source, this.maxBytes, true);
        yield output.subarray(0, stream.next_out);
      } else {
        handBack(output);
      }
      // Input used up, with room to spare in the output: nothing more is pending.
      if (stream.avail_in === 0 && stream.avail_out > 0) return;
    }
  }

  /** The input is over: throws when it stopped inside a member. */
  end(): void {
    if (!this.betweenMembers && !this.padded) throw new InputError(this.source, "truncated gzip data");
  }

  /** After a member: starts the next one, if input is left; false when there is none (yet) or only padding. */
  private nextMember(): boolean {
    const stream = this.stream;
    if (stream.avail_in === 0) return false;
    if (stream.input[stream.next_in] === 0) {
      this.padded = true;
      return false;
    }
    zlibInflateReset(stream);
    this.betweenMembers = false;
    return true;
  }
}
