import { constants } from "node:buffer";
import { formatBytes } from "../byte-size.js";
import { InputError } from "../model/profile.js";
import { TopLevelFields, type TopLevelFieldSink } from "./protobuf-framing.js";

/** Profile.sample's tag: field 2, length-delimited. */
const PROFILE_SAMPLE = (2 << 3) | 2;

/**
 * Samples are copied into buffers of this size as they arrive: big enough
 * that there are few, small enough that the unused end of the last one, and
 * a finished one waiting to be freed, cost little.
 */
const SEGMENT_BYTES = 4 * 2 ** 20;

const EMPTY = new Uint8Array(0);

export interface SplitProfile {
  /** Every top-level field but the samples, as they were: a small message for the schema to decode. */
  rest: Buffer;
  /**
   * The samples in order, each as its length (a varint) and then its bytes,
   * filling segments of SEGMENT_BYTES (a larger sample has one of its own).
   */
  sampleSegments: Uint8Array[];
}

/**
 * Sorts a streamed Profile message's top-level fields as they arrive: the
 * samples (nearly all of a profile's bytes) into segments that
 * `SampleReader` reads one sample at a time, the rest into one small
 * message. So the whole profile is never held in one buffer, let alone
 * twice (gathered, then copied).
 */
export class ProfileSplitter implements TopLevelFieldSink {
  private readonly fields: TopLevelFields;
  private rest = Buffer.alloc(1 << 16);
  private restLength = 0;
  private readonly segments: Uint8Array[] = [];
  private segment = EMPTY;
  private segmentLength = 0;
  /** Whether the current field's payload goes to the samples. */
  private inSample = false;

  constructor(private readonly source: string) {
    this.fields = new TopLevelFields(source, this);
  }

  /** Takes the next decompressed bytes of the profile. */
  push(chunk: Uint8Array): void {
    this.fields.push(chunk);
  }

  /** The profile's fields, sorted; throws when the message was cut short. */
  finish(): SplitProfile {
    this.fields.end();
    this.endSegment();
    return { rest: this.rest.subarray(0, this.restLength), sampleSegments: this.segments };
  }

  field(tag: number, header: Uint8Array, headerLength: number, payloadLength: number): void {
    this.inSample = tag === PROFILE_SAMPLE;
    if (!this.inSample) {
      this.reserveRest(headerLength + payloadLength);
      this.rest.set(header.subarray(0, headerLength), this.restLength);
      this.restLength += headerLength;
      return;
    }
    const needed = varintSize(payloadLength) + payloadLength;
    if (this.segmentLength + needed > this.segment.length) {
      this.endSegment();
      this.segment = new Uint8Array(Math.max(SEGMENT_BYTES, needed));
    }
    this.segmentLength = writeVarint(this.segment, this.segmentLength, payloadLength);
  }

  payload(chunk: Uint8Array, start: number, end: number): void {
    if (this.inSample) {
      this.segment.set(chunk.subarray(start, end), this.segmentLength);
      this.segmentLength += end - start;
    } else {
      this.rest.set(chunk.subarray(start, end), this.restLength);
      this.restLength += end - start;
    }
  }

  private endSegment(): void {
    if (this.segmentLength > 0) this.segments.push(this.segment.subarray(0, this.segmentLength));
    this.segment = EMPTY;
    this.segmentLength = 0;
  }

  /** Makes room for a field in `rest`, doubling it as needed. */
  private reserveRest(bytes: number): void {
    const needed = this.restLength + bytes;
    if (needed <= this.rest.length) return;
    if (needed > constants.MAX_LENGTH) {
      throw new InputError(this.source, `a profile whose fields besides its samples pass ${formatBytes(constants.MAX_LENGTH)} cannot be held in one buffer`);
    }
    const grown = Buffer.alloc(Math.min(Math.max(this.rest.length * 2, needed), constants.MAX_LENGTH));
    grown.set(this.rest.subarray(0, this.restLength));
    this.rest = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

/** Writes `value` as a varint at `at`; returns the offset after it. */
function writeVarint(into: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    into[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  into[at++] = value;
  return at;
}
