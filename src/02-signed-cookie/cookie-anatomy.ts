/**
 * A Flask session cookie taken apart without any key: payload, timestamp, signature. Anyone
 * holding the cookie can do this; the signature only stops them from changing it.
 */
import { base64Decode, bytesToInt } from './encoding.ts';
import { BadData } from './errors.ts';
import { loadPayload } from './serializer.ts';

/** The three parts of `[.]PAYLOAD.TS.SIG`, decoded where they can be. */
export interface CookieAnatomy {
  compressed: boolean;
  /** The payload as sent (base64url, with its leading `.` when compressed). */
  payload: string;
  /** The JSON text inside the payload. */
  json: string;
  timestamp: number;
  signature: string;
  signatureBytes: number;
}

// The largest time a JavaScript Date holds, in seconds.
const maxDateSeconds = 8.64e12;

/** Splits and decodes a cookie without checking the signature: signed is not secret. */
export function dissectCookie(cookie: string): CookieAnatomy {
  const parts = /^(\.?[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/.exec(cookie);
  if (!parts) throw new BadData('not a Flask session cookie: expected [.]payload.timestamp.signature');
  const [, payload = '', timestampText = '', signature = ''] = parts;
  const timestamp = Number(bytesToInt(base64Decode(timestampText)));
  if (timestamp > maxDateSeconds) throw new BadData(`the timestamp ${timestamp} is not a date`);
  return {
    compressed: payload.startsWith('.'),
    payload,
    json: loadPayload(payload), // bounded, like every payload: nothing here checked the signature
    timestamp,
    signature,
    signatureBytes: base64Decode(signature).length,
  };
}
