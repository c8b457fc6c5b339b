import { randomBytes } from 'node:crypto';
import { Session, type SessionData } from '../01-raw-http/session.ts';

// #region generate-sid
/** Python's `secrets.token_urlsafe(n)`: n random bytes, URL-safe base64 without padding (32 → 43 chars). */
export function generateSid(lengthBytes: number): string {
  return randomBytes(lengthBytes).toString('base64url');
}
// #endregion generate-sid

// #region server-side-session
/**
 * Flask-Session's `ServerSideSession`: the dict plus the `sid` it is stored under. A session
 * holding nothing but `_permanent` counts as empty, so it is never stored (Flask-Session 0.6
 * fixed the flood of `{_permanent: true}` sessions every bot and health check created).
 */
export class ServerSideSession extends Session {
  sid: string;

  constructor(initial: SessionData | Iterable<[string, unknown]>, sid: string) {
    super(initial);
    this.sid = sid;
  }

  /** Python's `bool(session)` in Flask-Session 0.8: false when empty or only `_permanent`. */
  get isEmpty(): boolean {
    return this.keys().every((key) => key === '_permanent');
  }

  /** `clear()` keeps `_permanent`, as Flask-Session's does: the session stays permanent. */
  override clear(): void {
    const permanent = this.has('_permanent') ? this.permanent : undefined;
    super.clear();
    if (permanent !== undefined) this.permanent = permanent;
  }
}
// #endregion server-side-session
