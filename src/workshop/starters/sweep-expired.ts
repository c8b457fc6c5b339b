// Exercise sweep-expired (lessons/03-json-file.md): run `npm run exercise -- sweep-expired`.
import { NotImplementedError } from '../not-implemented.ts';
import type { StoredSession, SweepExpired } from './types.ts';

/** Delete from `sessions` every entry that has expired at `now` (milliseconds since the epoch). */
export const sweepExpired: SweepExpired = (sessions: Map<string, StoredSession>, now: number) => {
  // TODO(exercise)
  throw new NotImplementedError('sweepExpired');
};
