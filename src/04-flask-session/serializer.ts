import type { SessionData } from '../01-raw-http/session.ts';
import { isDict } from '../02-signed-cookie/dict.ts';
import { unpackb } from './msgpack-decode.ts';
import { nested, packb, unsupportedType } from './msgpack-encode.ts';

/** `SESSION_SERIALIZATION_FORMAT`: Flask-Session 0.7+ writes msgpack by default, or JSON. */
export type SerializationFormat = 'msgpack' | 'json';

/** Flask-Session's `MsgSpecSerializer`: the session dict to bytes and back. */
export interface SessionSerializer {
  readonly format: SerializationFormat;
  dumps(data: SessionData): Buffer;
  /** Throws when the bytes are neither format (e.g. a 0.3-era pickle). */
  loads(bytes: Buffer): SessionData;
}

// The session itself is a dict keyed by name: a top-level Map (a key that is not a string) is
// refused as unreadable rather than rewritten with string keys.
function msgpackLoads(bytes: Buffer): SessionData {
  const value = unpackb(bytes);
  if (!isDict(value)) throw new TypeError('stored session is not a msgpack map');
  if (value instanceof Map) throw new TypeError('stored session has a key that is not a string');
  return value;
}

/** JSON as msgspec writes it: compact, UTF-8, not ASCII-escaped; bytes become base64 strings. */
function jsonDumps(data: SessionData): Buffer {
  assertJsonEncodable(data, 'session');
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
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('stored session is not a JSON object');
  return value as SessionData;
}

const codecs = {
  msgpack: { dumps: (data: SessionData) => packb(data, 'session'), loads: msgpackLoads },
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

// msgspec's JSON encoder refuses what JSON cannot hold; so do we, before JSON.stringify writes
// a function as nothing and a class instance or a Map as {}.
function assertJsonEncodable(value: unknown, path: string, depth = 0): void {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return;
  if (value instanceof Uint8Array || value instanceof Date) return;
  if (Array.isArray(value)) {
    const inner = nested(depth, path);
    return value.forEach((item, i) => assertJsonEncodable(item, `${path}[${i}]`, inner));
  }
  if (!isDict(value) || value instanceof Map) throw unsupportedType(value, path);
  const inner = nested(depth, path);
  for (const [key, item] of Object.entries(value)) assertJsonEncodable(item, `${path}.${key}`, inner);
}
