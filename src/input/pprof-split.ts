import { constants } from "node:buffer";
import { formatBytes } from "../byte-size.js";
import { copyBytes } from "../copy-bytes.js";
import { InputError } from "../model/profile.js";
import { TopLevelFields, type TopLevelFieldSink } from "./protobuf-framing.js";

/** Profile.sample's tag: field 2, length-delimited. */
const PROFILE_SAMPLE = (2 << 3) | 2;

/**
 * Samples kept are copied into buffers of this size as they arrive: big
 * enough that there are few, small enough that the unused end of the last
 * one, and a finished one waiting to be freed, cost little.
 */
const SEGMENT_BYTES = 4 * 2 ** 20;
/** Samples handed on go through one buffer of this size, filled again and again: it need only hold many samples. */
const PASSING_SEGMENT_BYTES = 256 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * What a splitter does with the samples:
 * - "keep" stores them all, to be read once the rest is decoded: the one
 *   pass there is when the input cannot be read twice;
 * - "skip" only counts them: the first of two passes, which gathers the
 *   tables that samples refer to (Go writes those after the samples);
 * - a function is the second pass: it is handed the samples a segment at a
 *   time, as each fills, and must be done with the segment when it returns
 *   (the segment is filled again); the rest is not gathered again.
 */
export type SampleHandling = "keep" | "skip" | ((segment: Uint8Array) => void);

export interface SplitProfile {
  /** Every top-level field but the samples, as they were: a small message for the schema to decode. */
  rest: Buffer;
  /**
   * The samples kept, in order, each as its length (a varint) and then its
   * bytes, filling segments of SEGMENT_BYTES (a larger sample has one of its own).
   */
  sampleSegments: Uint8Array[];
  /** How many samples there were, kept or not. */
  sampleCount: number;
  /** Their payloads' bytes in all, kept or not. */
  sampleBytes: number;
}

/** Where the current field's payload goes. */
const enum Destination {
  Nowhere,
  Rest,
  Samples,
}

/**
 * Sorts a streamed Profile message's top-level fields as they arrive: the
 * samples (nearly all of a profile's bytes) into segments that
 * `SampleReader` reads one sample at a time, the rest into one small
 * message. So the whole profile is never held in one buffer, let alone
 * twice (gathered, then copied); read in two passes, no more than one
 * segment of the samples is held at a time.
 */
export class ProfileSplitter implements TopLevelFieldSink {
  private readonly fields: TopLevelFields;
  private rest = Buffer.alloc(1 << 16);
  private restLength = 0;
  private readonly segments: Uint8Array[] = [];
  private segment = EMPTY;
  private segmentLength = 0;
  private sampleCount = 0;
  private sampleBytes = 0;
  private destination = Destination.Nowhere;

  constructor(
    private readonly source: string,
    private readonly samples: SampleHandling,
  ) {
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
    return { rest: this.rest.subarray(0, this.restLength), sampleSegments: this.segments, sampleCount: this.sampleCount, sampleBytes: this.sampleBytes };
  }

  field(tag: number, header: Uint8Array, headerLength: number, payloadLength: number): void {
    if (tag !== PROFILE_SAMPLE) {
      this.destination = typeof this.samples === "function" ? Destination.Nowhere : Destination.Rest;
      if (this.destination === Destination.Nowhere) return;
      this.reserveRest(headerLength + payloadLength);
      this.rest.set(header.subarray(0, headerLength), this.restLength);
      this.restLength += headerLength;
      return;
    }
    this.sampleCount++;
    this.sampleBytes += payloadLength;
    this.destination = this.samples === "skip" ? Destination.Nowhere : Destination.Samples;
    if (this.destination === Destination.Nowhere) return;
    const needed = varintSize(payloadLength) + payloadLength;
    if (this.segmentLength + needed > this.segment.length) {
      this.endSegment();
      const size = typeof this.samples === "function" ? PASSING_SEGMENT_BYTES : SEGMENT_BYTES;
      if (needed > this.segment.length) this.segment = new Uint8Array(Math.max(size, needed));
    }
    this.segmentLength = writeVarint(this.segment, this.segmentLength, payloadLength);
  }

  payload(chunk: Uint8Array, start: number, end: number): void {
    if (this.destination === Destination.Samples) this.segmentLength = copyBytes(chunk, start, end, this.segment, this.segmentLength);
    else if (this.destination === Destination.Rest) this.restLength = copyBytes(chunk, start, end, this.rest, this.restLength);
  }

  /** The current segment is full (or the samples are over): kept, or handed on and then filled again. */
  private endSegment(): void {
    if (this.segmentLength === 0) return;
    const filled = this.segment.subarray(0, this.segmentLength);
    this.segmentLength = 0;
    if (typeof this.samples === "function") {
      this.samples(filled);
    } else {
      this.segments.push(filled);
      this.segment = EMPTY;
    }
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
