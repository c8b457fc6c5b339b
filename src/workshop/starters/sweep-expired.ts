// Exercise sweep-expired (lessons/03-json-file.md): run `npm run exercise -- sweep-expired`.
import type { StoredSession, sweepExpired as Reference } from '../../03-json-file/session-file.ts';
import { NotImplementedError } from '../types.ts';

/** Delete from `sessions` every entry that has expired at `now` (milliseconds since the epoch). */
export const sweepExpired: typeof Reference = (sessions: Map<string, StoredSession>, now: number) => {
  // TODO(exercise)
  throw new NotImplementedError('sweepExpired');
};
