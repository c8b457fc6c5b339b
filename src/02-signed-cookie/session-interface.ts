/**
 * Flask's `SessionInterface` base class: the cookie settings read from the config, the expiry
 * and refresh rules, and the null session. A concrete interface adds `openSession`/`saveSession`.
 */
import type { Flask } from '../01-raw-http/app.ts';
import { cookieSameSite, type CookieOptions, type SameSite } from '../01-raw-http/cookies.ts';
import type { Request } from '../01-raw-http/request.ts';
import type { Response } from '../01-raw-http/response.ts';
import type { SessionHooks } from '../01-raw-http/session-hooks.ts';
import type { Session } from '../01-raw-http/session.ts';
import { NullSession } from './session.ts';

/** Options every interface takes: the clock, in milliseconds like `Date.now`. */
export interface SessionInterfaceOptions {
  now?: () => number;
}

/** Flask's `SessionInterface`, with the `get_cookie_*` helpers every interface shares. */
export abstract class SessionInterface implements SessionHooks {
  readonly now: () => number;

  constructor(options: SessionInterfaceOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  abstract openSession(app: Flask, request: Request): Promise<Session | null> | Session | null;
  abstract saveSession(app: Flask, session: Session, response: Response): Promise<void> | void;

  getCookieName(app: Flask): string {
    return app.config.SESSION_COOKIE_NAME;
  }

  /** Flask ≥ 2.3 uses the setting verbatim (no SERVER_NAME fallback); empty means none. */
  getCookieDomain(app: Flask): string | undefined {
    return app.config.SESSION_COOKIE_DOMAIN || undefined;
  }

  /** `SESSION_COOKIE_PATH`, else `APPLICATION_ROOT`. */
  getCookiePath(app: Flask): string {
    return app.config.SESSION_COOKIE_PATH || app.config.APPLICATION_ROOT;
  }

  getCookieHttpOnly(app: Flask): boolean {
    return app.config.SESSION_COOKIE_HTTPONLY;
  }

  getCookieSecure(app: Flask): boolean {
    return app.config.SESSION_COOKIE_SECURE;
  }

  /** Title-cased and checked the way Werkzeug's `dump_cookie` does; `checkConfig` applies the same rule at start-up. */
  getCookieSameSite(app: Flask): SameSite | undefined {
    return cookieSameSite(app.config.SESSION_COOKIE_SAMESITE);
  }

  /** CHIPS (Flask 3.1); the cookie header then also gets Secure. */
  getCookiePartitioned(app: Flask): boolean {
    return app.config.SESSION_COOKIE_PARTITIONED;
  }

  /**
   * Every attribute above, ready for `setCookie` and `deleteCookie` (a deletion must match the
   * cookie it deletes). A new object on each call, so a caller may add `expires` to it.
   */
  protected cookieOptions(app: Flask): Omit<CookieOptions, 'expires' | 'maxAgeSeconds'> {
    return {
      domain: this.getCookieDomain(app),
      path: this.getCookiePath(app),
      secure: this.getCookieSecure(app),
      partitioned: this.getCookiePartitioned(app),
      sameSite: this.getCookieSameSite(app),
      httpOnly: this.getCookieHttpOnly(app),
    };
  }

  // #region expiry-rules
  /** A permanent session expires `PERMANENT_SESSION_LIFETIME` from now; otherwise it is a browser-session cookie. */
  getExpirationTime(app: Flask, session: Session): Date | undefined {
    if (!session.permanent) return undefined;
    return new Date(this.now() + app.config.PERMANENT_SESSION_LIFETIME * 1000);
  }

  /** Send the cookie when the session changed, or to slide a permanent session's expiry forward. */
  shouldSetCookie(app: Flask, session: Session): boolean {
    return session.modified || (session.permanent && app.config.SESSION_REFRESH_EACH_REQUEST);
  }
  // #endregion expiry-rules

  /** The session used when no real one can exist (no secret key). */
  makeNullSession(_app: Flask): Session {
    return new NullSession();
  }

  isNullSession(session: Session): boolean {
    return session instanceof NullSession;
  }
}
