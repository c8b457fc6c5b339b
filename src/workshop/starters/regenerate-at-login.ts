// Exercise regenerate-at-login (lessons/04-flask-session.md): run `npm run exercise -- regenerate-at-login`.
import { NotImplementedError } from '../not-implemented.ts';
import type { RegenerateAtLogin, RegeneratingSession, SidIssuer } from './types.ts';

/**
 * Called at login, before the user is put in the session: the session keeps its data but moves
 * to a fresh sid, and the entry under the old sid is deleted from `iface.store` (its key is
 * `iface.keyPrefix + sid`), so a sid an attacker planted before login opens nothing after it.
 * The request's save then inserts the session under the new sid. A session that is empty
 * (`isEmpty`) was never stored: leave it alone.
 */
export const regenerate: RegenerateAtLogin = async (iface: SidIssuer, session: RegeneratingSession) => {
  // TODO(exercise)
  void iface;
  void session;
  throw new NotImplementedError('regenerate');
};
