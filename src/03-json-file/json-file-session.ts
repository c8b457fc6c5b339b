/**
 * The article's idea done right: one JSON file, uuid4 session ids, expiry checks. What changed
 * and why is in lessons/03-json-file.md; article-port.ts is the original for comparison.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Flask } from '../01-raw-http/app.ts';
import { noteSession } from '../01-raw-http/context.ts';
import { ServiceUnavailable } from '../01-raw-http/http-errors.ts';
import type { Request } from '../01-raw-http/request.ts';
import type { Response } from '../01-raw-http/response.ts';
import { Session, type SessionData } from '../01-raw-http/session.ts';
import { SecureCookieSessionInterface } from '../02-signed-cookie/secure-cookie-interface.ts';
import { SessionInterface } from '../02-signed-cookie/session-interface.ts';
import type { JsonFileConfig } from './config.ts';
import type { SessionFileSystem } from './file-system.ts';
import type { FlaskWithFolders } from './flask-app.ts';
import { SessionFile, type StoredSession } from './session-file.ts';
import { checkSessionSize, defaultSessionMaxBytes } from './session-size.ts';
import { SidSigner } from './sid-signer.ts';

/** The shape of a uuid4 (`crypto.randomUUID()`): anything else in the cookie is not one of ours. */
const uuid4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A server-side session: the user's data and the id it is stored under. A session holding nothing
 * but `_permanent` counts as empty, so it is never stored (Flask-Session 0.6 fixed the flood of
 * `{_permanent: true}` sessions every bot and health check created).
 */
export class JsonFileSession extends Session {
  sid: string;

  constructor(initial: SessionData | Iterable<[string, unknown]>, sid: string) {
    super(initial);
    this.sid = sid;
  }

  /** Python's `bool(session)` in Flask-Session 0.8: false when empty or only `_permanent`. */
  get isEmpty(): boolean {
    return this.keys().every((key) => key === '_permanent');
  }
}

/** Overrides for tests and tools: the file's path, the clock (ms), the file system. */
export interface JsonFileSessionOptions {
  path?: string;
  now?: () => number;
  fs?: SessionFileSystem;
}

/** The fixed `JsonFileSessionInterface`: same idea as the article's, none of its flaws. */
export class JsonFileSessionInterface extends SessionInterface {
  file: SessionFile | null = null;
  signer: SidSigner | null = null;
  readonly #options: JsonFileSessionOptions;

  constructor(app?: FlaskWithFolders<JsonFileConfig>, options: JsonFileSessionOptions = {}) {
    super(options);
    this.#options = options;
    if (app) this.initApp(app);
  }

  /** Installs this interface when `SESSION_TYPE` is `'file'`, else step 02's cookie one (as the article does). */
  initApp(app: FlaskWithFolders<JsonFileConfig>): void {
    if (app.config.SESSION_TYPE !== 'file') {
      app.sessionInterface = new SecureCookieSessionInterface();
      return;
    }
    const path = resolve(
      app.instancePath,
      this.#options.path ?? app.config.SESSION_FILE_PATH ?? 'sessions.json',
    );
    const fromStatic = relative(app.staticFolder, path);
    // Outside means a step up ('..' or '../…'): a file named '..sessions.json' is inside.
    const outside = fromStatic === '..' || fromStatic.startsWith(`..${sep}`) || isAbsolute(fromStatic);
    if (!outside) {
      throw new TypeError(
        'SESSION_FILE_PATH must not be inside the static folder, which is served to everyone',
      );
    }
    // The logger is looked up on each use: tests and apps may replace app.logger later.
    this.file = new SessionFile({
      path,
      now: this.now,
      fs: this.#options.fs,
      logger: { warn: (m) => app.logger.warn(m) },
    });
    this.signer = app.config.SESSION_USE_SIGNER ? new SidSigner(app) : null;
    app.sessionInterface = this;
  }

  /** The stored session for the cookie's sid; anything unknown, expired or forged gets a fresh sid. */
  async openSession(app: Flask, request: Request): Promise<JsonFileSession> {
    const cookieSid = this.sidFromCookie(request.cookies.get(this.getCookieName(app)));
    const { sid, stored } = await resolveSid(cookieSid, (candidate) => this.read(candidate), randomUUID);
    noteSession('open', () =>
      stored
        ? `found the entry for sid ${sid} in the session file`
        : `no live entry for the cookie's sid: new sid ${sid}`,
    );
    return stored ? new JsonFileSession(stored.data, sid) : this.newSession(sid);
  }

  /** The sid in a cookie value: the signature checked when signing is on, and the uuid4 shape checked always. */
  sidFromCookie(value: string | undefined): string | null {
    if (!value) return null;
    const sid = this.signer ? this.signer.unsign(value) : value;
    return sid !== undefined && uuid4.test(sid) ? sid : null;
  }

  /** A new, empty, permanent session (the article's sessions are all permanent). */
  newSession(sid: string): JsonFileSession {
    const session = new JsonFileSession({}, sid);
    session.permanent = true;
    session.modified = false;
    session.new = true;
    return session;
  }

  /** Flask-Session 0.8's order: Vary, then delete or store the entry (with its expiry), then the cookie. */
  async saveSession(app: Flask, session: Session, response: Response): Promise<void> {
    const target = session as JsonFileSession;
    const cookie = this.cookieOptions(app);
    if (session.accessed) response.addVary('Cookie');
    if (!target.isEmpty) {
      if (!session.modified && !app.config.SESSION_REFRESH_EACH_REQUEST) return;
      const limit = (app.config as JsonFileConfig).SESSION_MAX_BYTES ?? defaultSessionMaxBytes;
      checkSessionSize(Buffer.byteLength(JSON.stringify(target.toJSON())), limit);
    }
    const expiresAt = this.now() + app.config.PERMANENT_SESSION_LIFETIME * 1000;
    const saved = await this.write(() => saveEntry(this.requireFile(), target, expiresAt));
    if (saved !== 'untouched') noteSession('save', () => saveNotes[saved](target.sid, expiresAt));
    if (saved === 'deleted') {
      response.deleteCookie(this.getCookieName(app), cookie);
      response.addVary('Cookie');
    }
    if (saved !== 'stored' || !this.shouldSetCookie(app, session)) return;
    const value = this.signer ? this.signer.sign(target.sid) : target.sid;
    const expires = this.getExpirationTime(app, session);
    response.setCookie(
      this.getCookieName(app),
      value,
      Object.assign(cookie, { expires, maxSize: app.config.MAX_COOKIE_SIZE }),
    );
    response.addVary('Cookie');
  }

  /** Flask-Session's `regenerate`: the same data under a new sid, the old entry deleted. Call it at login. */
  async regenerate(session: Session): Promise<void> {
    const target = session as JsonFileSession;
    if (typeof target.sid !== 'string')
      throw new TypeError('regenerate() needs a session opened by JsonFileSessionInterface');
    const old = target.sid;
    target.sid = randomUUID();
    target.new = true; // never stored under this sid: its save inserts
    target.modified = true;
    noteSession('handler', () => `regenerate: sid ${old} → ${target.sid}`);
    if (!target.isEmpty) await this.write(() => this.requireFile().delete(old));
  }

  /** The live stored entry for `sid`, for the demo's "my record" view. */
  read(sid: string): Promise<StoredSession | null> {
    return this.requireFile()
      .get(sid)
      .catch((error: unknown) => {
        throw new ServiceUnavailable('The session store could not be read.', { cause: error });
      });
  }

  private write<T>(task: () => Promise<T>): Promise<T> {
    return task().catch((error: unknown) => {
      throw new ServiceUnavailable('The session store could not be written.', { cause: error });
    });
  }

  private requireFile(): SessionFile {
    if (!this.file) throw new Error('JsonFileSessionInterface.initApp(app) has not run');
    return this.file;
  }
}

// #region resolve-sid
/** The sid a request gets: the cookie's only when the store holds a live entry for it, else a fresh one. */
export async function resolveSid(
  cookieSid: string | null,
  lookup: (sid: string) => Promise<StoredSession | null>,
  newSid: () => string,
): Promise<{ sid: string; stored: StoredSession | null }> {
  if (cookieSid) {
    const stored = await lookup(cookieSid);
    if (stored) return { sid: cookieSid, stored };
  }
  // Never adopt a sid the store does not know: choosing the victim's sid is how session fixation works.
  return { sid: newSid(), stored: null };
}
// #endregion resolve-sid

/** The store operations a save needs; `SessionFile` has them, and so can a test's map. */
export interface SessionEntries {
  set(sid: string, data: SessionData, expiresAt: number): Promise<void>;
  /** Stores only while a live entry is there; false, and nothing written, when it is gone. */
  replace(sid: string, data: SessionData, expiresAt: number): Promise<boolean>;
  delete(sid: string): Promise<void>;
}

/** What a save needs to know about a session (`JsonFileSession` is one). */
export interface SavedSession {
  readonly sid: string;
  readonly isEmpty: boolean;
  readonly modified: boolean;
  /** Flask's `SessionMixin.new`: this sid was never stored. */
  readonly new: boolean;
  toJSON(): SessionData;
}

/** What a save did to the entry: `deleted` means the cookie must go, `stored` that it may be sent. */
type SaveOutcome = 'untouched' | 'deleted' | 'stored' | 'ended';

const saveNotes: Record<Exclude<SaveOutcome, 'untouched'>, (sid: string, expiresAt: number) => string> = {
  deleted: (sid) => `deleted the entry for sid ${sid} from the session file`,
  stored: (sid, expiresAt) => `stored under sid ${sid} until ${new Date(expiresAt).toISOString()}`,
  ended: (sid) => `sid ${sid} was ended by another request meanwhile: nothing stored, no cookie`,
};

// #region save-entry
/**
 * The server side of a save. An emptied session (a logout) loses its entry; a new one is
 * inserted; a stored one is put back only while its entry is still live.
 */
export async function saveEntry(
  entries: SessionEntries,
  session: SavedSession,
  expiresAt: number,
): Promise<SaveOutcome> {
  if (session.isEmpty) {
    // Deleting the cookie alone is the article's logout: a saved copy of the cookie would still work.
    if (!session.modified) return 'untouched';
    await entries.delete(session.sid);
    return 'deleted';
  }
  const data = session.toJSON();
  if (session.new) {
    await entries.set(session.sid, data, expiresAt);
    return 'stored';
  }
  // Not set(): a request that loaded the session before a logout elsewhere must not bring it back.
  return (await entries.replace(session.sid, data, expiresAt)) ? 'stored' : 'ended';
}
// #endregion save-entry
