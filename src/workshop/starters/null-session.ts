import { NotImplementedError } from '../not-implemented.ts';
import type { MakeNullSession } from './types.ts';

/**
 * Flask's `make_null_session`: the session a request gets when the app has no SECRET_KEY. It is a
 * SecureCookieSession (src/02-signed-cookie/session.ts) that reads as empty, and every write
 * (set, setdefault, pop, delete, clear, update, `permanent = true`) throws RuntimeError
 * (src/01-raw-http/context.ts) with Flask's message: "The session is unavailable because no secret
 * key was set.  Set the secret_key on the application to something unique and secret." (two
 * spaces after "set.").
 */
export const makeNullSession: MakeNullSession = (app) => {
  // TODO(exercise): return a new instance of your NullSession class, written above this function.
  void app;
  throw new NotImplementedError('makeNullSession is not written yet: see lessons/02-signed-cookie.md');
};
