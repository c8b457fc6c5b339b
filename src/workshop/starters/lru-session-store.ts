import { NotImplementedError } from '../not-implemented.ts';
import type { LruStoreOptions, SessionStore } from './types.ts';

/** An in-memory session store: entries expire after `ttlSeconds`; when full, the least recently used goes. */
export const createStore = (options: LruStoreOptions): SessionStore => {
  // TODO(exercise): return an object with backend, get, set, replace, delete, cleanup and close (see SessionStore in src/04-flask-session/store.ts).
  void options;
  throw new NotImplementedError('createStore is not written yet: see lessons/04-flask-session.md');
};
