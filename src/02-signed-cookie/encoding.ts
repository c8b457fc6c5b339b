/**
 * The byte encodings inside a Flask cookie, as in itsdangerous' `encoding.py`: URL-safe base64
 * without padding, and integers as big-endian bytes with the leading zeros stripped.
 */
import { BadData } from './errors.ts';

// RFC 4648 §5: the URL- and filename-safe alphabet.
const base64UrlText = /^[A-Za-z0-9_-]*$/;

/** itsdangerous' `base64_encode`: URL-safe alphabet, `=` padding stripped. */
export function base64Encode(data: Uint8Array | string): string {
  const bytes =
    typeof data === 'string'
      ? Buffer.from(data, 'utf8')
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return bytes.toString('base64url');
}

/** itsdangerous' `base64_decode`: re-pads and decodes; anything not base64url is BadData. */
export function base64Decode(text: string): Buffer {
  // A length of 4n+1 can never come from whole bytes; Node would silently drop the last char.
  if (!base64UrlText.test(text) || text.length % 4 === 1) throw new BadData('Invalid base64-encoded data');
  return Buffer.from(text, 'base64url');
}

/** itsdangerous' `int_to_bytes`: unsigned, big-endian, no leading zero bytes (0 is empty). */
export function intToBytes(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an unsigned integer: ${value}`);
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from(bytes);
}

/** itsdangerous' `bytes_to_int`: at most 8 bytes (a 64-bit unsigned integer), as a bigint. */
export function bytesToInt(bytes: Uint8Array): bigint {
  if (bytes.length > 8) throw new BadData(`an integer of ${bytes.length} bytes is longer than 8`);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
