/**
 * itsdangerous' `URLSafeTimedSerializer`: a value → JSON → (maybe zlib) → base64url → signed with
 * a timestamp. Flask's session cookie is exactly this, with Flask's tagged JSON inside.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { cannotShrink } from './compression-bound.ts';
import { base64Decode, base64Encode } from './encoding.ts';
import { BadData, BadPayload } from './errors.ts';
import type { DigestMethod, KeyDerivation, SecretKey } from './signer.ts';
import { TimestampSigner, type Unsigned } from './timestamp-signer.ts';

/** Turns values into text and back (itsdangerous' "serializer" protocol). */
export interface TextSerializer {
  dumps(value: unknown): string;
  loads(text: string): unknown;
}

/** Options of `URLSafeTimedSerializer`, named as in itsdangerous. */
export interface SerializerOptions {
  salt?: string;
  serializer?: TextSerializer;
  keyDerivation?: KeyDerivation;
  digestMethod?: DigestMethod;
  /** The clock, in milliseconds like `Date.now`. */
  now?: () => number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The most any cookie payload inflates to, signed or not. A browser sends about 4 KB per cookie,
 * but a few kilobytes of zlib can hold megabytes, and a valid signature proves only who made them.
 */
export const maxPayloadBytes = 64 * 1024;

// #region payload
/** JSON text → cookie payload: zlib-compressed (marked by a leading `.`) only when that saves 2+ bytes. */
export function dumpPayload(json: string): string {
  const raw = Buffer.from(json, 'utf8');
  if (cannotShrink(raw)) return base64Encode(raw);
  const compressed = deflateSync(raw);
  // itsdangerous: `if len(compressed) < (len(json) - 1)`.
  return compressed.length < raw.length - 1 ? `.${base64Encode(compressed)}` : base64Encode(raw);
}
// #endregion payload

/**
 * Cookie payload → JSON text. Throws BadPayload for bad base64, bad zlib, bytes that are not
 * UTF-8, or more than `maxPayloadBytes` once decompressed: a zlib bomb, a few kilobytes that
 * inflate to gigabytes, would otherwise hold the event loop for seconds, signed or not.
 */
export function loadPayload(payload: string): string {
  const compressed = payload.startsWith('.');
  let bytes: Buffer;
  try {
    bytes = base64Decode(compressed ? payload.slice(1) : payload);
  } catch (error) {
    throw new BadPayload('Could not base64 decode the payload because of an exception', { cause: error });
  }
  try {
    if (compressed) bytes = inflateSync(bytes, { maxOutputLength: maxPayloadBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new BadPayload(`The payload inflates to more than ${maxPayloadBytes} bytes`);
    throw new BadPayload('Could not zlib decompress the payload before decoding the payload', {
      cause: error,
    });
  }
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    throw new BadPayload('The payload is not UTF-8 text', { cause: error });
  }
}

/** Signed, timestamped, URL-safe serialized values; secrets ordered oldest to newest. */
export class URLSafeTimedSerializer {
  readonly signer: TimestampSigner;
  readonly serializer: TextSerializer;

  constructor(secretKey: SecretKey | readonly SecretKey[], options: SerializerOptions = {}) {
    this.serializer = options.serializer ?? { dumps: JSON.stringify, loads: JSON.parse };
    this.signer = new TimestampSigner(secretKey, {
      salt: options.salt ?? 'itsdangerous',
      keyDerivation: options.keyDerivation ?? 'django-concat',
      digestMethod: options.digestMethod ?? 'sha1',
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** The value as a signed, timestamped cookie-safe string, signed by the newest key. */
  dumps(value: unknown): string {
    return this.signer.sign(dumpPayload(this.serializer.dumps(value)));
  }

  /** Verifies (signature, then age), then decodes. Throws BadSignature and kin, or BadPayload. */
  loads(signed: string, maxAgeSeconds?: number): unknown {
    return this.loadsWithTimestamp(signed, maxAgeSeconds).value;
  }

  /** Like `loads`, and also returns when the value was signed (Unix seconds). */
  loadsWithTimestamp(signed: string, maxAgeSeconds?: number): { value: unknown; timestamp: number } {
    const { value: payload, timestamp }: Unsigned = this.signer.unsignWithTimestamp(signed, maxAgeSeconds);
    const json = loadPayload(payload);
    try {
      return { value: this.serializer.loads(json), timestamp };
    } catch (error) {
      if (error instanceof BadData) throw error;
      throw new BadPayload(
        'Could not load the payload because an exception occurred on unserializing the data.',
        { cause: error },
      );
    }
  }
}
