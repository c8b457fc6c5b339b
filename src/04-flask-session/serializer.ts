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
  assertEncodable(data, 'session');
  return Buffer.from(encoder.encode(data));
}
// #endregion encode

// #region decode
// Decoded to Maps, never straight into objects: a key `__proto__` written by another program
// (Python allows any string) stays data instead of becoming an object's prototype.
const unpackr = new Unpackr({ mapsAsObjects: false, useRecords: false, int64AsType: 'number' });

function unpackb(bytes: Buffer): SessionData {
  const value: unknown = unpackr.unpack(bytes);
  if (!(value instanceof Map)) throw new TypeError('stored session is not a msgpack map');
  return fromMap(value) as SessionData;
}

function fromMsgpack(value: unknown): unknown {
  if (value instanceof Map) return fromMap(value);
  if (Array.isArray(value)) return value.map(fromMsgpack);
  return value;
}

// A plain object like JSON.parse makes, built as step 02 builds one: `__proto__` stays a key.
function fromMap(map: Map<unknown, unknown>): Record<string, unknown> {
  return dictFromEntries(Array.from(map, ([key, value]) => [String(key), fromMsgpack(value)]));
}
// #endregion decode

/** JSON as msgspec writes it: compact, UTF-8, not ASCII-escaped; bytes become base64 strings. */
function jsonDumps(data: SessionData): Buffer {
  assertEncodable(data, 'session');
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
// we, before a function or a class instance is silently written as `{}`.
function assertEncodable(value: unknown, path: string): void {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return;
  if (value instanceof Uint8Array || value instanceof Date) return;
  if (Array.isArray(value)) return value.forEach((item, i) => assertEncodable(item, `${path}[${i}]`));
  const proto: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || (typeof value === 'object' && proto === null)) {
    for (const [key, item] of Object.entries(value as object)) assertEncodable(item, `${path}.${key}`);
    return;
  }
  const type = typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
  throw new UnsupportedValueError(`Encoding objects of type ${type} is unsupported (at ${path})`);
}
