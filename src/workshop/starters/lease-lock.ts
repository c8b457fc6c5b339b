import { NotImplementedError } from '../not-implemented.ts';
import type { CreateLeaseLock } from './types.ts';

/**
 * A lease lock for the requests of one server process. `acquire(key, { leaseMs, waitMs })`
 * resolves with `{ renew, release }` once this request holds the lease on `key` for `leaseMs`
 * (measured with `now()`); past `waitMs` it rejects with ServiceUnavailable
 * (src/01-raw-http/http-errors.ts). Only the holder's `release` and `renew` act: each acquire
 * makes a token of its own. A release wakes the request that has waited longest; a lease that is
 * never released runs out at its end. A waiter must not poll.
 */
export const createLeaseLock: CreateLeaseLock = (now) => {
  // TODO(exercise): the leases (key → token and end), the waiters (key → queue), and acquire.
  void now;
  throw new NotImplementedError('createLeaseLock is not written yet: see lessons/05-session-lock.md');
};
