/**
 * Flask's default `SecureCookieSessionInterface` (flask/sessions.py): the whole session lives in
 * the cookie, as tagged JSON signed with the app's secret key. Signed, not encrypted.
 */
import type { Flask } from '../01-raw-http/app.ts';
import { hasSecretKey } from '../01-raw-http/config.ts';
import { noteSession } from '../01-raw-http/context.ts';
import type { Request } from '../01-raw-http/request.ts';
import type { Response } from '../01-raw-http/response.ts';
import type { Session } from '../01-raw-http/session.ts';
import { dictEntries, isDict } from './dict.ts';
import { BadPayload, BadSignature } from './errors.ts';
import { URLSafeTimedSerializer } from './serializer.ts';
import { SessionInterface } from './session-interface.ts';
import { SecureCookieSession } from './session.ts';
import type { DigestMethod, KeyDerivation, SecretKey } from './signer.ts';
import { sessionJsonSerializer } from './tagged-json.ts';

/** The signed-cookie session interface, byte-compatible with Flask's. */
export class SecureCookieSessionInterface extends SessionInterface {
  readonly salt = 'cookie-session';
  readonly keyDerivation: KeyDerivation = 'hmac';
  readonly digestMethod: DigestMethod = 'sha1';
  readonly serializer = sessionJsonSerializer;
  #cached: { keys: readonly SecretKey[]; serializer: URLSafeTimedSerializer } | undefined;

  /** Null without a secret key. Keys are `[...SECRET_KEY_FALLBACKS, SECRET_KEY]`: the last one signs. */
  getSigningSerializer(app: Flask): URLSafeTimedSerializer | null {
    // #region signing-keys
    if (!hasSecretKey(app.config)) return null;
    const fallbacks: unknown = app.config.SECRET_KEY_FALLBACKS ?? [];
    if (!Array.isArray(fallbacks))
      throw new TypeError('SECRET_KEY_FALLBACKS must be a list of keys, oldest first');
    // Flask 3.1.0 put SECRET_KEY first: the last-listed fallback signed new cookies (GHSA-4grg-w6v8-c28g).
    const keys: SecretKey[] = [...(fallbacks as SecretKey[]), app.config.SECRET_KEY];
    // #endregion signing-keys
    // Flask builds a serializer on every call; ours derives its keys once, so keep it while the keys stay.
    if (this.#cached && sameKeys(this.#cached.keys, keys)) return this.#cached.serializer;
    const serializer = new URLSafeTimedSerializer(keys, {
      salt: this.salt,
      serializer: this.serializer,
      keyDerivation: this.keyDerivation,
      digestMethod: this.digestMethod,
      now: this.now,
    });
    this.#cached = { keys, serializer };
    return serializer;
  }

  // #region open-session
  /** Null without a secret key; an empty session for no cookie or a bad one; else the cookie's data. */
  openSession(app: Flask, request: Request): Session | null {
    const serializer = this.getSigningSerializer(app);
    if (!serializer) return null;
    const value = request.cookies.get(this.getCookieName(app));
    if (!value) return new SecureCookieSession();
    // Every cookie, permanent or not, is refused once older than the lifetime.
    const maxAgeSeconds = Math.trunc(app.config.PERMANENT_SESSION_LIFETIME);
    try {
      const data = serializer.loads(value, maxAgeSeconds);
      if (!isDict(data)) throw new BadPayload('The session payload is not a JSON object');
      return new SecureCookieSession(dictEntries(data));
    } catch (error) {
      if (error instanceof BadSignature) {
        noteSession('open', () => `cookie refused (${error.message}): an empty session`);
        return new SecureCookieSession();
      }
      // Flask answers 500 here. A signature made with our key over junk means another program
      // shares the key; the visitor still deserves a page, so: warn, and start afresh.
      if (error instanceof BadPayload) return this.unreadable(app, error);
      throw error;
    }
  }
  // #endregion open-session

  private unreadable(app: Flask, error: BadPayload): Session {
    app.logger.warn(
      `The session cookie is validly signed but unreadable (${error.message}); starting an empty session.`,
    );
    return new SecureCookieSession();
  }

  // #region save-session
  /** Flask's `save_session`, step for step: Vary, delete when emptied, refresh rules, sign and set. */
  saveSession(app: Flask, session: Session, response: Response): void {
    const name = this.getCookieName(app);
    const options = this.cookieOptions(app);
    // CVE-2023-30861: any response that depended on the session must not be shared by a cache.
    if (session.accessed) response.addVary('Cookie');
    if (session.size === 0) {
      if (session.modified) {
        response.deleteCookie(name, options);
        response.addVary('Cookie');
      }
      return;
    }
    if (!this.shouldSetCookie(app, session)) return;
    const expires = this.getExpirationTime(app, session);
    const value = this.getSigningSerializer(app)!.dumps(session.toJSON());
    response.setCookie(name, value, Object.assign(options, { expires, maxSize: app.config.MAX_COOKIE_SIZE }));
    response.addVary('Cookie');
  }
  // #endregion save-session
}

function sameKeys(a: readonly SecretKey[], b: readonly SecretKey[]): boolean {
  return (
    a.length === b.length &&
    a.every((key, i) => (Buffer.isBuffer(key) ? Buffer.isBuffer(b[i]) && key.equals(b[i]) : key === b[i]))
  );
}
