import { NotImplementedError } from '../not-implemented.ts';
import type { SessionProxy } from './types.ts';

/**
 * A stand-in for "the session of the request being handled": every use asks `getContext()`.
 * Check your work with `npm run exercise -- session-proxy` (add `--watch` to rerun on save).
 */
export const sessionProxy: SessionProxy = (getContext) => {
  // TODO(exercise): return a Proxy that finds the session through getContext() on every use.
  throw new NotImplementedError('sessionProxy is not written yet');
};
