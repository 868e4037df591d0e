import protobuf, { type Reader, type util } from "protobufjs/minimal.js";
import type { Value } from "../model/value.js";
import { wordsOf } from "./byte-map.js";

type LongBits = util.LongBits;

/**
 * pprof samples read straight off the wire with protobufjs' Reader, one at a
 * time and field by field. Decoded into message objects, a million samples
 * with a Long per location id take gigabytes and most of the run time; read
 * this way, a sample allocates next to nothing.
 */

/** Sample's field tags (field number << 3 | wire type). */
const LOCATION_ID = 1 << 3;
const LOCATION_IDS_PACKED = (1 << 3) | 2;
const VALUE = 2 << 3;
const VALUES_PACKED = (2 << 3) | 2;
const LABEL = (3 << 3) | 2;

const EMPTY = new Uint8Array(0);

/**
 * A list filled again for each sample. It is emptied by its count, not with
 * `array.length = 0`: V8 then drops the array's storage, and the next push
 * allocates it anew, hundreds of megabytes over a large profile.
 */
export class ReusedList<T> {
  /** The list is `items[0..length)`; what lies beyond is left from earlier samples. */
  readonly items: T[] = [];
  length = 0;

  push(item: T): void {
    this.items[this.length++] = item;
  }
}

/** The fields of one sample at a time; the lists are reused from sample to sample. */
export class SampleReader {
  private readonly ids = new ReusedList<number>();
  /** The segment that holds the current sample: the offsets below are in it. */
  bytes: Uint8Array = EMPTY;
  /** The same segment as a DataView (see ByteMap). */
  words: DataView = wordsOf(EMPTY);
  /**
   * Where the sample's location ids lie when they are one packed field, as
   * Go writes them (else -1): the same bytes mean the same stack, so a reader
   * can recognise a stack it has seen without decoding its ids.
   */
  packedStart = -1;
  packedEnd = -1;
  readonly values = new ReusedList<Value>();
  /** Start and end offset of each Label message, for the schema to decode when labels are wanted. */
  readonly labelBounds = new ReusedList<number>();
  private reader: Reader = protobuf.Reader.create(EMPTY);
  private nextSegment = 0;

  /**
   * @param segments The samples as `ProfileSplitter` stores them. Each
   *   segment is let go of once its samples are read, so that the memory
   *   they hold is freed while the reader of the samples builds its tree.
   */
  constructor(private readonly segments: Uint8Array[]) {}

  /** Reads the next sample; false after the last. Throws protobufjs' errors on corrupt bytes. */
  next(): boolean {
    while (this.reader.pos === this.reader.len) {
      if (this.nextSegment === this.segments.length) return false;
      this.bytes = this.segments[this.nextSegment];
      this.words = wordsOf(this.bytes);
      this.segments[this.nextSegment++] = EMPTY;
      this.reader = protobuf.Reader.create(this.bytes);
    }
    const length = this.reader.uint32();
    this.read(this.reader.pos, this.reader.pos + length);
    return true;
  }

  private read(start: number, end: number): void {
    const reader = this.reader;
    this.ids.length = 0;
    this.packedStart = -1;
    this.values.length = 0;
    this.labelBounds.length = 0;
    reader.pos = start;
    while (reader.pos < end) {
      const tag = reader.tag();
      switch (tag) {
        case LOCATION_ID:
          this.decodePackedIds();
          this.ids.push(readId(reader));
          break;
        case LOCATION_IDS_PACKED:
          if (this.packedStart === -1 && this.ids.length === 0) {
            const length = reader.size();
            this.packedStart = reader.pos;
            this.packedEnd = reader.pos + length;
            reader.skip(length);
          } else {
            this.decodePackedIds();
            readPacked(reader, this.ids, readId);
          }
          break;
        case VALUE:
          this.values.push(readValue(reader));
          break;
        case VALUES_PACKED:
          readPacked(reader, this.values, readValue);
          break;
        case LABEL: {
          const length = reader.size();
          this.labelBounds.push(reader.pos);
          this.labelBounds.push(reader.pos + length);
          reader.skip(length);
          break;
        }
        default:
          reader.skipType(tag & 7, 0, tag >>> 3);
      }
    }
    if (reader.pos !== end) throw new RangeError("a field runs past the sample's end");
  }

  /** The sample's location ids, leaf first; throws protobufjs' errors on corrupt bytes. */
  locationIds(): ReusedList<number> {
    this.decodePackedIds();
    return this.ids;
  }

  /** Decodes the packed ids left for later, when they are wanted or more ids follow. */
  private decodePackedIds(): void {
    if (this.packedStart === -1) return;
    const reader = this.reader;
    const resume = reader.pos;
    reader.pos = this.packedStart;
    this.packedStart = -1;
    readPackedUntil(reader, this.packedEnd, this.ids, readId);
    reader.pos = resume;
  }
}

function readPacked<T>(reader: Reader, into: ReusedList<T>, read: (reader: Reader) => T): void {
  readPackedUntil(reader, reader.size() + reader.pos, into, read);
}

function readPackedUntil<T>(reader: Reader, end: number, into: ReusedList<T>, read: (reader: Reader) => T): void {
  while (reader.pos < end) into.push(read(reader));
  if (reader.pos !== end) throw new RangeError("a packed field runs past its end");
}

/**
 * A varint's 64 bits, the common case first. protobufjs reads 64-bit varints
 * into Long objects, while its 32-bit read allocates nothing and is exact
 * for varints of up to four bytes (values below 2^28), which nearly all ids
 * and values are; so that is tried first and undone for longer varints.
 */
function readVarint(reader: Reader, signed: boolean): number | LongBits {
  const start = reader.pos;
  const value = reader.uint32();
  if (reader.pos - start <= 4) return value;
  reader.pos = start;
  return protobuf.util.LongBits.from(signed ? reader.int64() : reader.uint64());
}

/** A location id (uint64) as a number: ids are small, and are map keys. */
function readId(reader: Reader): number {
  const id = readVarint(reader, false);
  return typeof id === "number" ? id : id.toNumber(true);
}

/** A sample value (int64): a number while that is exact, otherwise a bigint. */
function readValue(reader: Reader): Value {
  const bits = readVarint(reader, true);
  if (typeof bits === "number") return bits;
  const value = bits.toNumber(false);
  return Number.isSafeInteger(value) ? value : BigInt.asIntN(64, (BigInt(bits.hi >>> 0) << 32n) | BigInt(bits.lo >>> 0));
}
