// Exercise logout-destroys-entry (lessons/03-json-file.md): run `npm run exercise -- logout-destroys-entry`.
import { NotImplementedError } from '../not-implemented.ts';
import type { SavedSession, SaveEntry, SessionEntries } from './types.ts';

/**
 * The server side of saving `session` (stored under `session.sid`) into `entries`, which resolves
 * to what happened:
 * - `'untouched'`: the session is empty and was not modified (a visitor who never used it);
 * - `'deleted'`: the session was emptied (a logout ran `session.clear()`); the caller then deletes
 *   the cookie, and a copy of the old cookie must find nothing afterwards;
 * - `'stored'`: the session was stored under its sid until `expiresAt` (milliseconds);
 * - `'ended'`: nothing was stored because another request (a logout in another tab) deleted the
 *   entry while this one ran; it must stay deleted.
 * `session.new` is true when the sid was never stored. `entries.replace` writes only over an
 * entry that is there, and resolves false when it is gone.
 */
export const saveEntry: SaveEntry = async (
  entries: SessionEntries,
  session: SavedSession,
  expiresAt: number,
) => {
  // TODO(exercise)
  throw new NotImplementedError('saveEntry');
};
