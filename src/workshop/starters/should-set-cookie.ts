import { NotImplementedError } from '../not-implemented.ts';
import type { ShouldSetCookie } from './types.ts';

/** True when `saveSession` should send the (non-empty) session cookie on this response. */
export const shouldSetCookie: ShouldSetCookie = (app, session) => {
  // TODO(exercise): look at session.modified, session.permanent and app.config.SESSION_REFRESH_EACH_REQUEST.
  void [app, session];
  throw new NotImplementedError('shouldSetCookie is not written yet: see lessons/02-signed-cookie.md');
};
