/**
 * itsdangerous' exception hierarchy. Each error carries the data a caller may still want:
 * the payload that failed to verify, the date a cookie was signed. The mechanism throws; the
 * session layer decides what a bad cookie means (an empty session).
 */

/** Options shared by every error: the underlying cause, if any. */
export interface BadDataOptions {
  cause?: unknown;
}

/** Anything wrong with signed data. */
export class BadData extends Error {
  constructor(message: string, options: BadDataOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
  }
}

/** The signature does not match. `payload` is the unverified value: do not trust it. */
export class BadSignature extends BadData {
  readonly payload: string | undefined;

  constructor(message: string, options: BadDataOptions & { payload?: string | undefined } = {}) {
    super(message, options);
    this.payload = options.payload;
  }
}

/** A timestamped value is wrong: bad signature, missing or malformed timestamp. */
export class BadTimeSignature extends BadSignature {
  /** When the value says it was signed, if that could be read. */
  readonly dateSigned: Date | undefined;

  constructor(
    message: string,
    options: BadDataOptions & { payload?: string | undefined; dateSigned?: Date | undefined } = {},
  ) {
    super(message, options);
    this.dateSigned = options.dateSigned;
  }
}

/** The signature is good but too old, or dated in the future. */
export class SignatureExpired extends BadTimeSignature {}

/** The signature is good but the payload cannot be decoded (base64, zlib or JSON). */
export class BadPayload extends BadData {}
