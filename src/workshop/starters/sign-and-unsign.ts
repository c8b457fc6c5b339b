import { NotImplementedError } from '../not-implemented.ts';
import type { SecretKey, SignerOptions } from './types.ts';

/**
 * itsdangerous' Signer. `sign(value)` returns `value + '.' + signature`, the signature being the
 * base64url HMAC-SHA1 of the value (no `=` padding) under a key derived from the secret and the
 * salt. `unsign(signed)` returns the value, or throws BadSignature (src/02-signed-cookie/errors.ts).
 *
 * `secretKey` is one secret or a list ordered oldest to newest: the last is the current key, the
 * only one that signs; every key verifies. Options: `salt` (default 'itsdangerous.Signer') and
 * `keyDerivation`: 'django-concat' (the default) or 'hmac' (Flask's). The checks use SHA-1 and '.'.
 */
export class Signer {
  constructor(secretKey: SecretKey | readonly SecretKey[], options: SignerOptions = {}) {
    // TODO(exercise): derive and keep one key per secret, in the order given.
    void [secretKey, options];
  }

  sign(value: string): string {
    // TODO(exercise): the value, '.', and the signature made with the current key.
    void value;
    throw new NotImplementedError('Signer.sign is not written yet: see lessons/02-signed-cookie.md');
  }

  unsign(signed: string): string {
    // TODO(exercise): split off the signature, verify it in constant time against each key, newest first.
    void signed;
    throw new NotImplementedError('Signer.unsign is not written yet: see lessons/02-signed-cookie.md');
  }
}
