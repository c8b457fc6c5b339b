import { NotImplementedError } from '../not-implemented.ts';
import type { VerifySignature } from './types.ts';

/**
 * True when `signature` is the HMAC of `value` under `key` (`digestMethod`, SHA-1 by default).
 * Compare in constant time, and never throw for a signature of the wrong length.
 */
export const verifySignature: VerifySignature = (key, value, signature, digestMethod = 'sha1') => {
  // TODO(exercise): compute the expected MAC, then compare it with `signature` in constant time.
  void [key, value, signature, digestMethod];
  throw new NotImplementedError('verifySignature is not written yet: see lessons/02-signed-cookie.md');
};
