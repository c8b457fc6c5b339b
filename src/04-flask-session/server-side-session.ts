import { randomBytes } from 'node:crypto';
import { JsonFileSession } from '../03-json-file/json-file-session.ts';

// #region generate-sid
/** Python's `secrets.token_urlsafe(n)`: n random bytes, URL-safe base64 without padding (32 → 43 chars). */
export function generateSid(lengthBytes: number): string {
  return randomBytes(lengthBytes).toString('base64url');
}
// #endregion generate-sid

// #region server-side-session
/**
 * Flask-Session's `ServerSideSession`: step 03's session, the dict plus the `sid` it is stored
 * under, empty (`isEmpty`, never stored) when it holds nothing but `_permanent`.
 */
export class ServerSideSession extends JsonFileSession {
  /** `clear()` keeps `_permanent`, as Flask-Session's does: the session stays permanent. */
  override clear(): void {
    const permanent = this.has('_permanent') ? this.permanent : undefined;
    super.clear();
    if (permanent !== undefined) this.permanent = permanent;
  }
}
// #endregion server-side-session
