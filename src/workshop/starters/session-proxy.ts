import type { sessionProxy as reference } from '../../01-raw-http/context.ts';
import { NotImplementedError } from '../types.ts';

/**
 * A stand-in for "the session of the request being handled": every use asks `getContext()`.
 * Check your work with `npm run exercise -- session-proxy` (add `--watch` to rerun on save).
 */
export const sessionProxy: typeof reference = (getContext) => {
  // TODO(exercise): return a Proxy that finds the session through getContext() on every use.
  throw new NotImplementedError('sessionProxy is not written yet');
};
