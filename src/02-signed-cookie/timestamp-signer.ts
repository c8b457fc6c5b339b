/**
 * itsdangerous' `TimestampSigner`: signs `value.timestamp`, so a verifier can refuse values
 * that are too old. Flask passes `PERMANENT_SESSION_LIFETIME` as the maximum age of every cookie.
 */
import { base64Decode, base64Encode, bytesToInt, intToBytes } from './encoding.ts';
import { BadSignature, BadTimeSignature, SignatureExpired } from './errors.ts';
import { Signer, type SecretKey, type SignerOptions } from './signer.ts';

/** Options of `TimestampSigner`: the signer's, plus the clock (milliseconds, like `Date.now`). */
export interface TimestampSignerOptions extends SignerOptions {
  now?: () => number;
}

/** A verified value and the moment it was signed. */
export interface Unsigned {
  value: string;
  timestamp: number;
}

// Python's datetime stops at year 9999; itsdangerous calls a later timestamp malformed.
const maxTimestamp = 253402300799n;

// #region max-age
/** The age rule: older than `maxAgeSeconds`, or signed in the future, is expired. */
export function checkAge(timestamp: number, maxAgeSeconds: number, nowSeconds: number): void {
  const age = nowSeconds - timestamp;
  const dateSigned = (): Date => new Date(timestamp * 1000);
  // Strictly greater: a cookie exactly maxAgeSeconds old is still good, as in itsdangerous.
  if (age > maxAgeSeconds)
    throw new SignatureExpired(`Signature age ${age} > ${maxAgeSeconds} seconds`, {
      dateSigned: dateSigned(),
    });
  // A timestamp from the future means a clock is wrong or the value was forged with the key.
  if (age < 0) throw new SignatureExpired(`Signature age ${age} < 0 seconds`, { dateSigned: dateSigned() });
}
// #endregion max-age

/** Signs with the current time and verifies the age on the way back. */
export class TimestampSigner extends Signer {
  readonly now: () => number;

  constructor(secretKey: SecretKey | readonly SecretKey[], options: TimestampSignerOptions = {}) {
    super(secretKey, options);
    this.now = options.now ?? Date.now;
  }

  /** Whole seconds since the epoch, truncated like Python's `int(time.time())`. */
  getTimestamp(): number {
    return Math.floor(this.now() / 1000);
  }

  // #region timestamp-sign
  /** `value.timestamp.signature`; the signature covers the timestamp too. */
  override sign(value: string): string {
    return super.sign(`${value}${this.sep}${base64Encode(intToBytes(this.getTimestamp()))}`);
  }
  // #endregion timestamp-sign

  /** The value, or throws: BadTimeSignature (bad signature or timestamp), SignatureExpired (age). */
  override unsign(signed: string, maxAgeSeconds?: number): string {
    return this.unsignWithTimestamp(signed, maxAgeSeconds).value;
  }

  /** Like `unsign`, and also returns when the value was signed. */
  unsignWithTimestamp(signed: string, maxAgeSeconds?: number): Unsigned {
    let result: string;
    let signatureError: BadSignature | undefined;
    try {
      result = super.unsign(signed);
    } catch (error) {
      if (!(error instanceof BadSignature)) throw error;
      [signatureError, result] = [error, error.payload ?? ''];
    }
    const at = result.lastIndexOf(this.sep);
    if (at < 0) throw signatureError ?? new BadTimeSignature('timestamp missing', { payload: result });
    const value = result.slice(0, at);
    const timestamp = readTimestamp(result.slice(at + this.sep.length));
    if (signatureError) {
      const dateSigned = timestamp === undefined ? undefined : new Date(timestamp * 1000);
      throw new BadTimeSignature(signatureError.message, {
        payload: value,
        dateSigned,
        cause: signatureError,
      });
    }
    if (timestamp === undefined) throw new BadTimeSignature('Malformed timestamp', { payload: value });
    if (maxAgeSeconds !== undefined)
      withPayload(value, () => checkAge(timestamp, maxAgeSeconds, this.getTimestamp()));
    return { value, timestamp };
  }
}

function readTimestamp(text: string): number | undefined {
  try {
    const timestamp = bytesToInt(base64Decode(text));
    return timestamp <= maxTimestamp ? Number(timestamp) : undefined;
  } catch {
    return undefined;
  }
}

// checkAge knows nothing of the payload; the error a caller sees should carry it.
function withPayload(payload: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof SignatureExpired)) throw error;
    throw new SignatureExpired(error.message, { payload, dateSigned: error.dateSigned });
  }
}
