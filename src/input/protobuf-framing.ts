import { constants } from "node:buffer";
import { InputError } from "../model/profile.js";
import { readAllBytes } from "./reader.js";

/**
 * Collects a streamed protobuf message into one buffer, checking the framing
 * of its top-level fields (tag, wire type, length) as the bytes arrive. A
 * decoder needs the whole message, so without this check a gzip bomb that
 * merely starts like a profile (a valid first field, then gigabytes of
 * zeros) would be gathered whole before the decoder saw that its second
 * field is nonsense. Payloads are skipped in bulk: only tags and lengths are
 * looked at byte by byte.
 */
export function readProtobufMessage(input: AsyncIterable<Uint8Array>, source: string): Promise<Uint8Array> {
  const framing = new TopLevelFraming(source);
  const checked = (async function* () {
    for await (const chunk of input) {
      framing.check(chunk);
      yield chunk;
    }
  })();
  return readAllBytes(checked, source);
}

const enum Expect {
  Tag,
  Varint,
  Length,
}

/** Wire types: varint, 64-bit, length-delimited, 32-bit (3 and 4, groups, are obsolete; 6 and 7 do not exist). */
const FIXED_SIZES: Record<number, number> = { 1: 8, 5: 4 };

class TopLevelFraming {
  private expect = Expect.Tag;
  /** Payload bytes still to skip. */
  private skip = 0;
  /** The varint being read, and its bytes so far. */
  private value = 0;
  private shift = 0;
  private offset = 0;
  private fieldStart = 0;

  constructor(private readonly source: string) {}

  check(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, chunk.length - i);
        this.skip -= skipped;
        i += skipped;
        continue;
      }
      const byte = chunk[i++];
      if (this.expect === Expect.Tag && this.shift === 0) this.fieldStart = this.offset + i - 1;
      if (this.shift >= 70) this.fail("a varint longer than 10 bytes");
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

  private afterVarint(value: number): void {
    switch (this.expect) {
      case Expect.Tag: {
        const field = Math.floor(value / 8);
        const wireType = value % 8;
        if (field === 0) this.fail("field number 0");
        if (wireType === 0) this.expect = Expect.Varint;
        else if (wireType === 2) this.expect = Expect.Length;
        else if (FIXED_SIZES[wireType] !== undefined) this.skip = FIXED_SIZES[wireType];
        else this.fail(`wire type ${wireType}`);
        return;
      }
      case Expect.Length:
        if (value > constants.MAX_LENGTH) this.fail(`a field of ${value} bytes`);
        this.skip = value;
        break;
    }
    this.expect = Expect.Tag;
  }

  private fail(what: string): never {
    throw new InputError(this.source, `corrupt pprof protobuf (${what} in the top-level field at offset ${this.fieldStart})`);
  }
}
