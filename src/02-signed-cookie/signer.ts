/**
 * itsdangerous' `Signer`: appends an HMAC of a value to the value, and checks it. Flask signs
 * its session cookie with it (salt `cookie-session`, key derivation `hmac`, SHA-1).
 */
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { base64Decode } from './encoding.ts';
import { BadData, BadSignature } from './errors.ts';

/** A secret as Flask takes it: text (UTF-8 encoded) or raw bytes. */
export type SecretKey = string | Buffer;
/** How the signing key is derived from the secret and the salt. */
export type KeyDerivation = 'hmac' | 'django-concat' | 'concat' | 'none';
/** The hash under the HMAC. SHA-1 is itsdangerous' and Flask's default. */
export type DigestMethod = 'sha1' | 'sha256';

/** Options of `Signer`, named as in itsdangerous. */
export interface SignerOptions {
  salt?: string;
  keyDerivation?: KeyDerivation;
  digestMethod?: DigestMethod;
  sep?: string;
}

// #region derive-key
/** itsdangerous' `Signer.derive_key`: the key actually used for the HMAC. */
export function deriveKey(
  secret: Buffer,
  salt: Buffer,
  keyDerivation: KeyDerivation,
  digestMethod: DigestMethod,
): Buffer {
  switch (keyDerivation) {
    case 'hmac': // Flask's choice: the secret is the HMAC key, the salt the message.
      return createHmac(digestMethod, secret).update(salt).digest();
    case 'django-concat': // itsdangerous' default.
      return createHash(digestMethod)
        .update(Buffer.concat([salt, Buffer.from('signer'), secret]))
        .digest();
    case 'concat':
      return createHash(digestMethod)
        .update(Buffer.concat([salt, secret]))
        .digest();
    case 'none':
      return secret;
  }
}
// #endregion derive-key

// #region verify-signature
/** itsdangerous' `HMACAlgorithm.verify_signature`: recompute the MAC, compare in constant time. */
export function verifySignature(
  key: Buffer | KeyObject,
  value: string,
  signature: Buffer,
  digestMethod: DigestMethod = 'sha1',
): boolean {
  const expected = createHmac(digestMethod, key).update(value, 'utf8').digest();
  // Python's hmac.compare_digest. timingSafeEqual throws on a length mismatch, so compare the
  // lengths first: the length of a MAC is public, its bytes are not.
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}
// #endregion verify-signature

/** Signs values and verifies signed values; a list of secrets is ordered oldest to newest. */
export class Signer {
  readonly secretKeys: readonly Buffer[];
  readonly salt: Buffer;
  readonly keyDerivation: KeyDerivation;
  readonly digestMethod: DigestMethod;
  readonly sep: string;
  // Derived once: each derivation is a hash or an HMAC, and a request signs or verifies twice.
  // Held as KeyObjects: createHmac then skips copying and checking the key on every call.
  readonly #derivedKeys: readonly KeyObject[];

  constructor(secretKey: SecretKey | readonly SecretKey[], options: SignerOptions = {}) {
    const keys = typeof secretKey === 'string' || Buffer.isBuffer(secretKey) ? [secretKey] : [...secretKey];
    if (keys.length === 0) throw new TypeError('Signer needs at least one secret key');
    this.secretKeys = keys.map((key) => (typeof key === 'string' ? Buffer.from(key, 'utf8') : key));
    this.salt = Buffer.from(options.salt ?? 'itsdangerous.Signer', 'utf8');
    this.keyDerivation = options.keyDerivation ?? 'django-concat';
    this.digestMethod = options.digestMethod ?? 'sha1';
    this.sep = options.sep ?? '.';
    if (/[A-Za-z0-9_=-]/.test(this.sep)) {
      throw new TypeError(
        'The given separator cannot be used because it may be contained in the signature itself.',
      );
    }
    this.#derivedKeys = this.secretKeys.map((secret) =>
      createSecretKey(deriveKey(secret, this.salt, this.keyDerivation, this.digestMethod)),
    );
  }

  // #region sign
  /** The base64url HMAC of `value`, made with the newest key (the last of the list). */
  getSignature(value: string): string {
    const key = this.#derivedKeys.at(-1)!;
    return createHmac(this.digestMethod, key).update(value, 'utf8').digest('base64url');
  }

  /** `value + sep + signature`. */
  sign(value: string): string {
    return `${value}${this.sep}${this.getSignature(value)}`;
  }
  // #endregion sign

  // #region unsign
  /** True when `signature` is the MAC of `value` under any key, tried newest first. */
  verifySignature(value: string, signature: string): boolean {
    let mac: Buffer;
    try {
      mac = base64Decode(signature);
    } catch (error) {
      if (error instanceof BadData) return false;
      throw error;
    }
    for (let i = this.#derivedKeys.length - 1; i >= 0; i--) {
      if (verifySignature(this.#derivedKeys[i]!, value, mac, this.digestMethod)) return true;
    }
    return false;
  }

  /** The value without its signature; throws BadSignature when it does not verify. */
  unsign(signed: string): string {
    const at = signed.lastIndexOf(this.sep);
    if (at < 0) throw new BadSignature(`No ${JSON.stringify(this.sep)} found in value`);
    const value = signed.slice(0, at);
    const signature = signed.slice(at + this.sep.length);
    if (this.verifySignature(value, signature)) return value;
    throw new BadSignature(`Signature ${JSON.stringify(signature)} does not match`, { payload: value });
  }
  // #endregion unsign

  /** True when `signed` verifies. */
  validate(signed: string): boolean {
    try {
      this.unsign(signed);
      return true;
    } catch (error) {
      if (error instanceof BadSignature) return false;
      throw error;
    }
  }
}
