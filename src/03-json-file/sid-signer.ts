import type { Flask } from '../01-raw-http/app.ts';
import { hasSecretKey } from '../01-raw-http/config.ts';
import { BadSignature } from '../02-signed-cookie/errors.ts';
import { Signer, type SecretKey } from '../02-signed-cookie/signer.ts';

/**
 * `SESSION_USE_SIGNER`: the cookie holds `sid.signature`, itsdangerous' Signer with salt
 * `flask-session` (HMAC-SHA1, no timestamp), exactly as Flask-Session writes it. Only the
 * cookie is signed; the store key stays the sid. Fallback keys verify, the newest signs.
 */
export class SidSigner {
  readonly #signer: Signer;

  constructor(app: Flask) {
    if (!hasSecretKey(app.config)) throw new Error('SECRET_KEY must be set when SESSION_USE_SIGNER=True');
    const fallbacks = (app.config.SECRET_KEY_FALLBACKS ?? []) as SecretKey[];
    this.#signer = new Signer([...fallbacks, app.config.SECRET_KEY], {
      salt: 'flask-session',
      keyDerivation: 'hmac',
    });
  }

  sign(sid: string): string {
    return this.#signer.sign(sid);
  }

  /** The sid, or undefined when the signature is wrong (a new session follows, never an error). */
  unsign(value: string): string | undefined {
    try {
      return this.#signer.unsign(value);
    } catch (error) {
      if (error instanceof BadSignature) return undefined;
      throw error;
    }
  }
}
