/**
 * MessagePack back to session values, from bytes another program may have written: every length
 * and count is checked against the bytes actually there, and nesting is bounded.
 */
import { dictFromEntries } from '../02-signed-cookie/dict.ts';
import { datetimeMs, maxDepth } from './msgpack-encode.ts';

/** Bytes that are not exactly one well-formed msgpack value of the kinds a session holds. */
export class MsgpackDecodeError extends Error {
  override name = 'MsgpackDecodeError';
}

/** The bytes being decoded and how far the decoder has read; nothing is read past the end. */
class Reader {
  readonly bytes: Buffer;
  offset = 0;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  get left(): number {
    return this.bytes.length - this.offset;
  }

  // #region decode-bounds
  // A length comes from the bytes themselves: one beyond what is left is refused before
  // anything is read or allocated, so a forged 4 GB length costs nothing. Returns where the
  // `size` bytes start.
  advance(size: number): number {
    if (size > this.left) this.fail(`truncated: ${size} bytes needed, ${this.left} left`);
    this.offset += size;
    return this.offset - size;
  }

  // A count too: each item takes at least a byte (a map entry two), so a count the bytes left
  // cannot hold is refused before the loop; so is nesting beyond maxDepth.
  enter(count: number, bytesEach: number, depth: number): number {
    if (depth >= maxDepth) this.fail(`nested deeper than ${maxDepth} levels`);
    if (count * bytesEach > this.left) this.fail(`${count} items announced, ${this.left} bytes left`);
    return depth + 1;
  }
  // #endregion decode-bounds

  take(size: number): Buffer {
    const start = this.advance(size);
    return this.bytes.subarray(start, this.offset);
  }

  uint(size: number): number {
    return this.bytes.readUIntBE(this.advance(size), size);
  }

  int(size: number): number {
    return this.bytes.readIntBE(this.advance(size), size);
  }

  fail(reason: string): never {
    throw new MsgpackDecodeError(`msgpack data is malformed: ${reason} (byte ${this.offset})`);
  }
}

/** Decodes `bytes`, which must hold exactly one msgpack value; MsgpackDecodeError otherwise. */
export function unpackb(bytes: Buffer): unknown {
  const r = new Reader(bytes);
  const value = readValue(r, 0);
  if (r.left > 0) r.fail(`${r.left} bytes after the value`);
  return value;
}

function readValue(r: Reader, depth: number): unknown {
  const first = r.uint(1);
  if (first <= 0x7f) return first; // positive fixint
  if (first >= 0xe0) return first - 0x100; // negative fixint
  if (first <= 0x8f) return readMap(r, first & 0x0f, depth);
  if (first <= 0x9f) return readArray(r, first & 0x0f, depth);
  if (first <= 0xbf) return readStr(r, first & 0x1f);
  const read = readers[first] ?? r.fail(`0x${first.toString(16)} is not a msgpack type`);
  return read(r, depth);
}

// What follows each first byte from 0xc0 to 0xdf (0xc1 is never used).
const readers: Partial<Record<number, (r: Reader, depth: number) => unknown>> = {
  0xc0: () => null,
  0xc2: () => false,
  0xc3: () => true,
  0xc4: (r) => readBin(r, r.uint(1)),
  0xc5: (r) => readBin(r, r.uint(2)),
  0xc6: (r) => readBin(r, r.uint(4)),
  0xc7: (r) => readExt(r, r.uint(1)),
  0xc8: (r) => readExt(r, r.uint(2)),
  0xc9: (r) => readExt(r, r.uint(4)),
  0xca: (r) => r.bytes.readFloatBE(r.advance(4)),
  0xcb: (r) => r.bytes.readDoubleBE(r.advance(8)),
  0xcc: (r) => r.uint(1),
  0xcd: (r) => r.uint(2),
  0xce: (r) => r.uint(4),
  0xcf: (r) => exactInt(r.bytes.readBigUInt64BE(r.advance(8))),
  0xd0: (r) => r.int(1),
  0xd1: (r) => r.int(2),
  0xd2: (r) => r.int(4),
  0xd3: (r) => exactInt(r.bytes.readBigInt64BE(r.advance(8))),
  0xd4: (r) => readExt(r, 1),
  0xd5: (r) => readExt(r, 2),
  0xd6: (r) => readExt(r, 4),
  0xd7: (r) => readExt(r, 8),
  0xd8: (r) => readExt(r, 16),
  0xd9: (r) => readStr(r, r.uint(1)),
  0xda: (r) => readStr(r, r.uint(2)),
  0xdb: (r) => readStr(r, r.uint(4)),
  0xdc: (r, depth) => readArray(r, r.uint(2), depth),
  0xdd: (r, depth) => readArray(r, r.uint(4), depth),
  0xde: (r, depth) => readMap(r, r.uint(2), depth),
  0xdf: (r, depth) => readMap(r, r.uint(4), depth),
};

const minSafe = BigInt(Number.MIN_SAFE_INTEGER);
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

// A 64-bit int stays a bigint only beyond 2^53, where a number would round it to the nearest double.
function exactInt(value: bigint): number | bigint {
  return value >= minSafe && value <= maxSafe ? Number(value) : value;
}

// A copy: the value must not keep the whole input buffer alive.
function readBin(r: Reader, size: number): Buffer {
  return Buffer.from(r.take(size));
}

// Python refuses a str that is not UTF-8 rather than replacing bytes with U+FFFD; a leading
// byte-order mark is a character of the string, not a marker to drop.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function readStr(r: Reader, size: number): string {
  const bytes = r.take(size);
  try {
    return utf8.decode(bytes);
  } catch {
    return r.fail('a str that is not UTF-8');
  }
}

function readArray(r: Reader, count: number, depth: number): unknown[] {
  const inner = r.enter(count, 1, depth);
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) items.push(readValue(r, inner));
  return items;
}

// #region decode-map
// All keys strings: a plain object, built as JSON.parse builds one, so a key `__proto__` stays
// data instead of becoming the object's prototype. Any other key (Python's {1: 'a'}) keeps the
// Map: turning 1 into '1' would change what the next save writes back.
function readMap(r: Reader, count: number, depth: number): Record<string, unknown> | Map<unknown, unknown> {
  const inner = r.enter(count, 2, depth);
  const entries: Array<[unknown, unknown]> = [];
  for (let i = 0; i < count; i++) entries.push([readValue(r, inner), readValue(r, inner)]);
  if (!entries.every(([key]) => typeof key === 'string')) return new Map(entries);
  return dictFromEntries(entries as Array<[string, unknown]>);
}
// #endregion decode-map

// The only extension a session holds is msgspec's datetime, the timestamp (type -1).
function readExt(r: Reader, size: number): Date {
  const type = r.int(1);
  const data = r.take(size);
  if (type !== -1) r.fail(`extension type ${type}, which no session value uses`);
  const [seconds, nanoseconds] = timestampParts(data) ?? r.fail(`a timestamp of ${size} bytes`);
  if (nanoseconds > 999_999_999) r.fail('a timestamp with more than 999999999 nanoseconds');
  const ms = seconds * 1000 + Math.floor(nanoseconds / 1e6); // a Date holds milliseconds
  if (!(ms >= datetimeMs.min && ms <= datetimeMs.max)) r.fail("a timestamp outside Python's datetime range");
  return new Date(ms);
}

function timestampParts(data: Buffer): [seconds: number, nanoseconds: number] | undefined {
  if (data.length === 4) return [data.readUInt32BE(0), 0];
  if (data.length === 8)
    return [(data[3]! & 0x03) * 2 ** 32 + data.readUInt32BE(4), data.readUInt32BE(0) >>> 2];
  if (data.length === 12) return [Number(data.readBigInt64BE(4)), data.readUInt32BE(0)];
  return undefined;
}
