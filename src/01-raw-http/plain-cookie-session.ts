import type { Flask } from './app.ts';
import type { Request } from './request.ts';
import type { Response } from './response.ts';
import type { SessionHooks } from './session-hooks.ts';
import { Session } from './session.ts';

// #region plain-cookie-session
/**
 * The whole session as JSON in a cookie, base64url-encoded so it is a legal cookie value and
 * NOT signed: the client can read it and write any value it likes. Step 02 signs it.
 */
export class PlainCookieSessionInterface implements SessionHooks {
  openSession(app: Flask, request: Request): Session {
    const value = request.cookies.get(app.config.SESSION_COOKIE_NAME);
    if (!value) return new Session();
    try {
      const data: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      // Anything but a JSON object is junk; junk is an empty session, never an error.
      return isPlainObject(data) && !nestedDeeperThan(data, maxDepth) ? new Session(data) : new Session();
    } catch {
      return new Session();
    }
  }
  // #endregion plain-cookie-session

  // #region save-plain-session
  saveSession(app: Flask, session: Session, response: Response): void {
    const name = app.config.SESSION_COOKIE_NAME;
    if (session.accessed) response.addVary('Cookie');
    if (session.size === 0) {
      if (session.modified) response.deleteCookie(name, { httpOnly: app.config.SESSION_COOKIE_HTTPONLY });
      return;
    }
    if (!session.modified) return;
    const value = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
    response.setCookie(name, value, {
      httpOnly: app.config.SESSION_COOKIE_HTTPONLY,
      secure: app.config.SESSION_COOKIE_SECURE,
      sameSite: app.config.SESSION_COOKIE_SAMESITE ?? undefined,
      maxSize: app.config.MAX_COOKIE_SIZE,
    });
  }
  // #endregion save-plain-session

  makeNullSession(): Session {
    return new Session();
  }

  isNullSession(): boolean {
    return false;
  }
}

// JSON.parse takes any depth, but JSON.stringify runs out of stack a few thousand levels down,
// and a cookie can hold that many. Python's json gives up at 1000 levels; so does this.
const maxDepth = 1000;

function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return limit === 0 || Object.values(value).some((item) => nestedDeeperThan(item, limit - 1));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
