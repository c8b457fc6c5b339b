import type { Flask } from './app.ts';
import type { Request } from './request.ts';
import type { Response } from './response.ts';
import type { Session } from './session.ts';

/**
 * The two hooks the app calls around every handler, as Flask calls `app.session_interface`:
 * `openSession` before it (null means "no session possible": a null session is made instead),
 * `saveSession` after it (skipped for a null session). Each step plugs in its own; step 02's
 * `SessionInterface` is Flask's base class for them.
 */
export interface SessionHooks {
  openSession(app: Flask, request: Request): Promise<Session | null> | Session | null;
  saveSession(app: Flask, session: Session, response: Response): Promise<void> | void;
  makeNullSession(app: Flask): Session;
  isNullSession(session: Session): boolean;
}
