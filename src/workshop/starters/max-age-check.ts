import { NotImplementedError } from '../not-implemented.ts';
import type { CheckAge } from './types.ts';

/**
 * Throws SignatureExpired (src/02-signed-cookie/errors.ts) when a value signed at `timestamp`
 * is older than `maxAgeSeconds` at `nowSeconds`, or was signed in the future. All in Unix seconds.
 */
export const checkAge: CheckAge = (timestamp, maxAgeSeconds, nowSeconds) => {
  // TODO(exercise): compute the age and throw SignatureExpired with itsdangerous' message and the signing date.
  void [timestamp, maxAgeSeconds, nowSeconds];
  throw new NotImplementedError('checkAge is not written yet: see lessons/02-signed-cookie.md');
};
