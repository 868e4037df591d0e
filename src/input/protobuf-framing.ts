import { constants } from "node:buffer";
import { InputError } from "../model/profile.js";

/** Where the top-level fields of a streamed protobuf message go, one by one, as `TopLevelFields` finds them. */
export interface TopLevelFieldSink {
  /**
   * A field starts: `header[0..headerLength)` are its tag and, for a
   * length-delimited field, its length, for a varint field its value (a
   * buffer reused for the next field). `payloadLength` bytes follow,
   * handed to `payload`.
   */
  field(tag: number, header: Uint8Array, headerLength: number, payloadLength: number): void;
  /** `chunk[start..end)` is the current field's payload, or the part of it in this chunk: copy what is kept. */
  payload(chunk: Uint8Array, start: number, end: number): void;
}

const enum Expect {
  Tag,
  Varint,
  Length,
}

/** Wire types: varint, 64-bit, length-delimited, 32-bit (3 and 4, groups, are obsolete; 6 and 7 do not exist). */
const FIXED_SIZES: Record<number, number> = { 1: 8, 5: 4 };

/** A tag and a length (or varint value), each at most 10 bytes. */
const MAX_HEADER_BYTES = 20;

/**
 * Walks a protobuf message's top-level fields as its bytes stream by,
 * checking their framing (tag, wire type, length) and handing each field to
 * a sink, so that a reader can sort fields out without ever holding the
 * whole message. A gzip bomb that merely starts like a profile (a valid
 * first field, then gigabytes of zeros) is refused at its second field,
 * not after it was all inflated. Payloads pass in bulk: only tags and
 * lengths are looked at byte by byte.
 */
export class TopLevelFields {
  private expect = Expect.Tag;
  /** Payload bytes still to come. */
  private remaining = 0;
  /** The field's tag and length (or value) so far. */
  private readonly header = new Uint8Array(MAX_HEADER_BYTES);
  private headerLength = 0;
  private tag = 0;
  /** The varint being read, and its bytes so far. */
  private value = 0;
  private shift = 0;
  private offset = 0;
  private fieldStart = 0;

  constructor(
    private readonly source: string,
    private readonly sink: TopLevelFieldSink,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const end = Math.min(i + this.remaining, chunk.length);
        this.sink.payload(chunk, i, end);
        this.remaining -= end - i;
        i = end;
        continue;
      }
      const byte = chunk[i++];
      if (this.headerLength === 0) this.fieldStart = this.offset + i - 1;
      if (this.shift >= 70) this.fail("a varint longer than 10 bytes");
      this.header[this.headerLength++] = byte;
      this.value += (byte & 0x7f) * 2 ** this.shift;
      this.shift += 7;
      if (byte & 0x80) continue;
      const value = this.value;
      this.value = 0;
      this.shift = 0;
      this.afterVarint(value);
    }
    this.offset += chunk.length;
  }

  /** The message is over: throws when it ends inside a field. */
  end(): void {
    if (this.headerLength > 0 || this.remaining > 0) this.fail("truncated data");
  }

  private afterVarint(value: number): void {
    switch (this.expect) {
      case Expect.Tag: {
        this.tag = value;
        const field = Math.floor(value / 8);
        const wireType = value % 8;
        if (field === 0) this.fail("field number 0");
        if (wireType === 0) this.expect = Expect.Varint;
        else if (wireType === 2) this.expect = Expect.Length;
        else if (FIXED_SIZES[wireType] !== undefined) this.startPayload(FIXED_SIZES[wireType]);
        else this.fail(`wire type ${wireType}`);
        return;
      }
      case Expect.Varint:
        this.startPayload(0);
        return;
      case Expect.Length:
        // A reader keeps a field, with its tag and length, in one buffer.
        if (value > constants.MAX_LENGTH - MAX_HEADER_BYTES) this.fail(`a field of ${value} bytes`);
        this.startPayload(value);
    }
  }

  private startPayload(length: number): void {
    this.sink.field(this.tag, this.header, this.headerLength, length);
    this.expect = Expect.Tag;
    this.headerLength = 0;
    this.remaining = length;
  }

  private fail(what: string): never {
    throw new InputError(this.source, `corrupt pprof protobuf (${what} in the top-level field at offset ${this.fieldStart})`);
  }
}
