import { Inflate, inflate } from "pako";
import { InputError } from "../model/profile.js";

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** pako reports a stream that ends early as "buffer error"; say what it means. */
function describeInflateError(message: string): string {
  return message === "buffer error" || message === "" ? "truncated gzip data" : `corrupt gzip data (${message})`;
}

export function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  try {
    return inflate(bytes);
  } catch (error) {
    throw new InputError(source, describeInflateError((error as Error).message));
  }
}

/** Incremental gunzip for streamed text inputs (e.g. a gzipped `perf script` capture). */
export class GunzipStream {
  private readonly inflater = new Inflate();
  private readonly pending: Uint8Array[] = [];

  constructor(private readonly source: string) {
    this.inflater.onData = (chunk: Uint8Array) => this.pending.push(chunk);
  }

  /** Feeds compressed bytes; returns whatever decompressed bytes are ready. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.inflater.push(chunk, false);
    return this.drain();
  }

  /** Ends the stream; throws when it was cut short or corrupt. */
  finish(): Uint8Array[] {
    if (!this.inflater.ended) this.inflater.push(new Uint8Array(0), true);
    if (this.inflater.err || !this.inflater.ended) throw new InputError(this.source, describeInflateError(this.inflater.msg));
    return this.drain();
  }

  private drain(): Uint8Array[] {
    if (this.inflater.err) throw new InputError(this.source, describeInflateError(this.inflater.msg));
    return this.pending.splice(0);
  }
}
