/**
 * MessagePack as Python writes it: for every value a session holds, `msgpack.packb(d,
 * use_bin_type=True)` and Flask-Session 0.8's msgspec write the same bytes, and so does `packb`.
 */
import { isDict } from '../02-signed-cookie/dict.ts';

/** A value msgspec would refuse to encode; the message says where it sits (`session.cart[2]`). */
export class UnsupportedValueError extends TypeError {
  override name = 'UnsupportedValueError';
}

/** msgspec's message for a type it cannot encode, plus where the value sits. */
export function unsupportedType(value: unknown, path: string): UnsupportedValueError {
  const type =
    typeof value === 'object' && value !== null ? (value.constructor?.name ?? 'object') : typeof value;
  return new UnsupportedValueError(`Encoding objects of type ${type} is unsupported (at ${path})`);
}

/**
 * How deeply containers may nest, written or read: a cycle or a forged nesting is an error, never
 * a stack overflow, and the decoder reads everything the encoder writes.
 */
export const maxDepth = 256;

/** Python's datetime holds the years 1 to 9999 (UTC); msgspec reads no timestamp outside them. */
export const datetimeMs = {
  min: Date.parse('0001-01-01T00:00:00Z'),
  max: Date.parse('9999-12-31T23:59:59.999Z'),
};

// #region encode
/** Python's `msgpack.packb(value, use_bin_type=True)`; `path` names the value in errors. */
export function packb(value: unknown, path: string): Buffer {
  const w = new Writer();
  pack(w, value, path, 0);
  return w.result();
}

function pack(w: Writer, value: unknown, path: string, depth: number): void {
  if (value === null) w.byte(0xc0);
  else if (typeof value === 'boolean') w.byte(value ? 0xc3 : 0xc2);
  else if (typeof value === 'number') packNumber(w, value, path);
  else if (typeof value === 'bigint') packInt(w, value, path);
  else if (typeof value === 'string') packStr(w, value, path);
  else if (value instanceof Uint8Array) header(w, value.length, bin).bytes(value);
  else if (value instanceof Date) packTimestamp(w, value, path);
  else if (Array.isArray(value)) packArray(w, value, path, depth);
  else if (isDict(value)) packMap(w, value, path, depth);
  else throw unsupportedType(value, path);
}
// #endregion encode

/** One level deeper, refused beyond maxDepth: a cycle ends here instead of in a stack overflow. */
export function nested(depth: number, path: string): number {
  if (depth >= maxDepth)
    throw new UnsupportedValueError(`Nesting deeper than ${maxDepth} levels is unsupported (at ${path})`);
  return depth + 1;
}

function packArray(w: Writer, value: unknown[], path: string, depth: number): void {
  const inner = nested(depth, path);
  header(w, value.length, array);
  value.forEach((item, i) => pack(w, item, `${path}[${i}]`, inner));
}

// A Map's keys keep their own types (Python's {1: 'a'}); an object's keys are strings.
function packMap(
  w: Writer,
  value: Record<string, unknown> | Map<unknown, unknown>,
  path: string,
  depth: number,
): void {
  const inner = nested(depth, path);
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  header(w, entries.length, map);
  for (const [key, item] of entries) {
    pack(w, key, `${path} key`, inner);
    pack(w, item, value instanceof Map ? `${path}[${String(key)}]` : `${path}.${key as string}`, inner);
  }
}

// A whole number a double holds exactly is a Python int. Any other number (a fraction, -0, NaN,
// ±Infinity, a whole number beyond 2^53) can only be a Python float: float64, as msgspec writes.
function packNumber(w: Writer, value: number, path: string): void {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) packInt(w, value, path);
  else w.byte(0xcb).double(value);
}

// #region encode-int
// An int in its smallest form, as Python's msgpack and msgspec pick it: -32 to 127 is the byte
// itself (fixint); otherwise uint8/16/32/64 (0xcc–0xcf) for a positive int and int8/16/32/64
// (0xd0–0xd3) for a negative one, then the int, big-endian.
function packInt(w: Writer, value: number | bigint, path: string): void {
  if (value >= -32 && value <= 127) return void w.byte(Number(value) & 0xff);
  const i = intForms.findIndex(({ min, max }) => (value < 0 ? value >= min : value <= max));
  if (i < 0) throw new UnsupportedValueError(`Integer ${value} does not fit in 64 bits (at ${path})`);
  const size = intForms[i]!.size;
  if (value < 0) w.byte(0xd0 + i).int(size, value);
  else w.byte(0xcc + i).uint(size, value);
}

// The smallest signed and the largest unsigned value of 8, 16, 32 and 64 bits.
const intForms = [
  { size: 1, min: -0x80, max: 0xff },
  { size: 2, min: -0x8000, max: 0xffff },
  { size: 4, min: -0x80000000, max: 0xffffffff },
  { size: 8, min: -(2n ** 63n), max: 2n ** 64n - 1n },
];
// #endregion encode-int

function packStr(w: Writer, value: string, path: string): void {
  // Python refuses to encode a lone surrogate as UTF-8; Buffer would write U+FFFD instead.
  if (/\p{Surrogate}/u.test(value))
    throw new UnsupportedValueError(`A str with a lone surrogate cannot be UTF-8 (at ${path})`);
  const size = Buffer.byteLength(value, 'utf8');
  header(w, size, str).utf8(value, size);
}

// Each type's length forms: a fix form keeps the length in its first byte (str below 32,
// array and map below 16, none for bin); then an 8-bit length (str and bin only), 16, 32.
interface LengthForms {
  fix?: { first: number; max: number };
  len8?: number;
  len16: number;
}
const str: LengthForms = { fix: { first: 0xa0, max: 31 }, len8: 0xd9, len16: 0xda };
const bin: LengthForms = { len8: 0xc4, len16: 0xc5 };
const array: LengthForms = { fix: { first: 0x90, max: 15 }, len16: 0xdc };
const map: LengthForms = { fix: { first: 0x80, max: 15 }, len16: 0xde };

function header(w: Writer, size: number, forms: LengthForms): Writer {
  if (forms.fix && size <= forms.fix.max) return w.byte(forms.fix.first + size);
  if (forms.len8 !== undefined && size <= 0xff) return w.byte(forms.len8).uint(1, size);
  if (size <= 0xffff) return w.byte(forms.len16).uint(2, size);
  return w.byte(forms.len16 + 1).uint(4, size); // the 32-bit form's byte follows the 16-bit one's
}

// #region encode-timestamp
// A Date is msgspec's datetime: the timestamp extension (type -1) in its smallest form: 32-bit
// seconds, 64-bit (30-bit nanoseconds, 34-bit seconds) or 96-bit (nanoseconds, int64 seconds).
function packTimestamp(w: Writer, date: Date, path: string): void {
  const ms = date.getTime(); // NaN for an invalid Date, which the range check refuses
  if (!(ms >= datetimeMs.min && ms <= datetimeMs.max)) {
    throw new UnsupportedValueError(
      `A Date outside Python's datetime range (years 1 to 9999) is unsupported (at ${path})`,
    );
  }
  const seconds = Math.floor(ms / 1000);
  const nanoseconds = (ms - seconds * 1000) * 1e6;
  if (nanoseconds === 0 && seconds >= 0 && seconds < 2 ** 32) w.bytes([0xd6, 0xff]).uint(4, seconds);
  else if (seconds >= 0 && seconds < 2 ** 34)
    w.bytes([0xd7, 0xff]).uint(8, (BigInt(nanoseconds) << 34n) | BigInt(seconds));
  else w.bytes([0xc7, 12, 0xff]).uint(4, nanoseconds).int(8, seconds);
}
// #endregion encode-timestamp

/** The bytes written so far, in a buffer that doubles when it is full. */
class Writer {
  buffer = Buffer.allocUnsafe(256); // only the `length` bytes written are ever read
  length = 0;

  // Room for `size` more bytes; returns where they start. Callers take the offset before
  // touching `buffer`, which this may replace.
  advance(size: number): number {
    if (this.length + size > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + size));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += size;
    return this.length - size;
  }

  byte(value: number): this {
    const at = this.advance(1);
    this.buffer[at] = value;
    return this;
  }

  bytes(values: ArrayLike<number>): this {
    const at = this.advance(values.length);
    this.buffer.set(values, at);
    return this;
  }

  // Big-endian; writeUIntBE throws for a value the size cannot hold (a length beyond 2^32 - 1).
  uint(size: number, value: number | bigint): this {
    const at = this.advance(size);
    if (size === 8) this.buffer.writeBigUInt64BE(BigInt(value), at);
    else this.buffer.writeUIntBE(Number(value), at, size);
    return this;
  }

  int(size: number, value: number | bigint): this {
    const at = this.advance(size);
    if (size === 8) this.buffer.writeBigInt64BE(BigInt(value), at);
    else this.buffer.writeIntBE(Number(value), at, size);
    return this;
  }

  double(value: number): this {
    const at = this.advance(8);
    this.buffer.writeDoubleBE(value, at);
    return this;
  }

  utf8(text: string, size: number): this {
    const at = this.advance(size);
    this.buffer.write(text, at, 'utf8');
    return this;
  }

  // A copy of exactly the bytes written, so the stored value holds no spare room.
  result(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}
