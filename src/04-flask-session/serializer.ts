import { Encoder } from '@msgpack/msgpack';
import { Unpackr } from 'msgpackr';
import type { SessionData } from '../01-raw-http/session.ts';
import { dictFromEntries } from '../02-signed-cookie/dict.ts';

/** `SESSION_SERIALIZATION_FORMAT`: Flask-Session 0.7+ writes msgpack by default, or JSON. */
export type SerializationFormat = 'msgpack' | 'json';

/** Flask-Session's `MsgSpecSerializer`: the session dict to bytes and back. */
export interface SessionSerializer {
  readonly format: SerializationFormat;
  dumps(data: SessionData): Buffer;
  /** Throws when the bytes are neither format (e.g. a 0.3-era pickle). */
  loads(bytes: Buffer): SessionData;
}

/** The encodable values: what msgspec accepts for a session dict (plus Uint8Array for `bytes`). */
export class UnsupportedValueError extends TypeError {
  override name = 'UnsupportedValueError';
}

// #region encode
// @msgpack/msgpack writes the same bytes as Python's `msgpack.packb(d, use_bin_type=True)` and
// msgspec: smallest int form (uint64 above 2^32), str8 strings, bin for bytes, insertion order.
const encoder = new Encoder({ ignoreUndefined: false });

function packb(data: SessionData): Buffer {
  if (!assertEncodable(data, 'session')) return Buffer.from(encoder.encode(data));
  return Buffer.concat(packParts(data, [])); // a bigint or a Map inside, which @msgpack/msgpack cannot write as Python does
}
// #endregion encode

// #region encode-wide
// Python's ints beyond 2^53 and dicts with non-string keys, as Python packs them: an int in its
// smallest form (uint64 / int64 beyond 32 bits), a map's keys with their own types. Every other
// value is written by @msgpack/msgpack, one at a time.
function packParts(value: unknown, out: Uint8Array[]): Uint8Array[] {
  if (typeof value === 'bigint') out.push(packBigInt(value));
  else if (value instanceof Map) {
    out.push(header(value.size, 0x80, 0xde));
    for (const [key, item] of value) packParts(item, packParts(key, out));
  } else if (Array.isArray(value)) {
    out.push(header(value.length, 0x90, 0xdc));
    for (const item of value) packParts(item, out);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const entries = Object.entries(value);
    out.push(header(entries.length, 0x80, 0xde));
    for (const [key, item] of entries) packParts(item, packParts(key, out));
  } else out.push(Buffer.from(encoder.encode(value)));
  return out;
}

// fixmap / fixarray below 16 entries, then the 16-bit and 32-bit forms (`wide16` + 1).
function header(size: number, fix: number, wide16: number): Buffer {
  if (size < 16) return Buffer.of(fix | size);
  const bytes = Buffer.alloc(size < 0x10000 ? 3 : 5);
  bytes[0] = size < 0x10000 ? wide16 : wide16 + 1;
  if (size < 0x10000) bytes.writeUInt16BE(size, 1);
  else bytes.writeUInt32BE(size, 1);
  return bytes;
}

function packBigInt(value: bigint): Buffer {
  if (value >= -(2n ** 31n) && value < 2n ** 32n) return Buffer.from(encoder.encode(Number(value)));
  const bytes = Buffer.alloc(9);
  bytes[0] = value > 0n ? 0xcf : 0xd3;
  if (value > 0n) bytes.writeBigUInt64BE(value, 1);
  else bytes.writeBigInt64BE(value, 1);
  return bytes;
}
// #endregion encode-wide

// #region decode
// Decoded to Maps, never straight into objects: a key `__proto__` written by another program
// (Python allows any string) stays data instead of becoming an object's prototype.
const unpackr = new Unpackr({ mapsAsObjects: false, useRecords: false, int64AsType: 'bigint' });

const minSafe = BigInt(Number.MIN_SAFE_INTEGER);
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

function unpackb(bytes: Buffer): SessionData {
  const value: unknown = unpackr.unpack(bytes);
  if (!(value instanceof Map)) throw new TypeError('stored session is not a msgpack map');
  const session = fromMsgpack(value);
  if (session instanceof Map) throw new TypeError('stored session has a key that is not a string');
  return session as SessionData;
}

function fromMsgpack(value: unknown): unknown {
  // A 64-bit int stays a bigint only beyond 2^53, where a number would round it to the nearest double.
  if (typeof value === 'bigint') return value >= minSafe && value <= maxSafe ? Number(value) : value;
  if (value instanceof Map) return fromMap(value);
  if (Array.isArray(value)) return value.map(fromMsgpack);
  return value;
}

// A plain object like JSON.parse makes, built as step 02 builds one: `__proto__` stays a key.
// A dict with a key that is not a string (Python's {1: 'a'}) stays a Map: turning 1 into '1'
// would change the data the next save writes back.
function fromMap(map: Map<unknown, unknown>): Record<string, unknown> | Map<unknown, unknown> {
  const entries = Array.from(map, ([key, value]): [unknown, unknown] => [key, fromMsgpack(value)]);
  if (!entries.every(([key]) => typeof key === 'string')) return new Map(entries);
  return dictFromEntries(entries as Array<[string, unknown]>);
}
// #endregion decode

/** JSON as msgspec writes it: compact, UTF-8, not ASCII-escaped; bytes become base64 strings. */
function jsonDumps(data: SessionData): Buffer {
  assertEncodable(data, 'session', false);
  // The holder's raw value: a Buffer's own toJSON has already run by the time `value` arrives.
  const text = JSON.stringify(data, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? Buffer.from(raw).toString('base64') : value;
  });
  return Buffer.from(text, 'utf8');
}

function jsonLoads(bytes: Buffer): SessionData {
  // JSON.parse defines `__proto__` as an own property, never as the prototype.
  const value: unknown = JSON.parse(bytes.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('stored session is not a JSON object');
  return value as SessionData;
}

const codecs = {
  msgpack: { dumps: packb, loads: unpackb },
  json: { dumps: jsonDumps, loads: jsonLoads },
} as const;

/** The serializer for `format`; loading falls back to the other format, as msgspec's does. */
export function makeSerializer(format: SerializationFormat): SessionSerializer {
  const primary = codecs[format];
  const other = codecs[format === 'msgpack' ? 'json' : 'msgpack'];
  return {
    format,
    dumps: primary.dumps,
    loads(bytes) {
      try {
        return primary.loads(bytes);
      } catch (error) {
        try {
          return other.loads(bytes);
        } catch {
          throw new TypeError(`stored session is neither ${format} nor the other format`, { cause: error });
        }
      }
    },
  };
}

// msgspec refuses what it cannot encode ("Encoding objects of type X is unsupported"); so do
// we, before a function or a class instance is silently written as `{}`. True when the value
// holds a bigint or a Map (what msgpack can hold and JSON cannot; `wide` allows them).
function assertEncodable(value: unknown, path: string, wide = true): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return false;
  if (value instanceof Uint8Array || value instanceof Date) return false;
  if (wide && typeof value === 'bigint') {
    if (value < -(2n ** 63n) || value >= 2n ** 64n) throw new UnsupportedValueError(`Integer ${value} does not fit in 64 bits (at ${path})`);
    return true;
  }
  if (Array.isArray(value)) return value.reduce((found: boolean, item, i) => assertEncodable(item, `${path}[${i}]`, wide) || found, false);
  if (wide && value instanceof Map) {
    for (const [key, item] of value) assertEncodable(key, `${path} key`, wide), assertEncodable(item, `${path}[${String(key)}]`, wide);
    return true;
  }
  const proto: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || (typeof value === 'object' && proto === null)) {
    return Object.entries(value as object).reduce((found: boolean, [key, item]) => assertEncodable(item, `${path}.${key}`, wide) || found, false);
  }
  const type = typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
  throw new UnsupportedValueError(`Encoding objects of type ${type} is unsupported (at ${path})`);
}
