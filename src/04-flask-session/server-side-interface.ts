import type { Flask } from '../01-raw-http/app.ts';
import { noteSession } from '../01-raw-http/context.ts';
import { ServiceUnavailable } from '../01-raw-http/http-errors.ts';
import type { Request } from '../01-raw-http/request.ts';
import type { Response } from '../01-raw-http/response.ts';
import type { Session } from '../01-raw-http/session.ts';
import { SessionInterface, type SessionInterfaceOptions } from '../02-signed-cookie/session-interface.ts';
import { checkSessionSize, defaultSessionMaxBytes } from '../03-json-file/session-size.ts';
import type { SidSigner } from '../03-json-file/sid-signer.ts';
import { SessionBackendError } from './backend-error.ts';
import { makeSerializer, type SessionSerializer } from './serializer.ts';
import { generateSid, ServerSideSession } from './server-side-session.ts';
import type { SessionStore } from './store.ts';

/** What the factory hands the interface; names follow Flask-Session's constructor arguments. */
export interface ServerSideOptions extends SessionInterfaceOptions {
  /** Already wrapped by `guardStore`, so each call is bounded in time. */
  store: SessionStore;
  keyPrefix?: string;
  sidLength?: number;
  permanent?: boolean;
  signer?: SidSigner | undefined;
  serializer?: SessionSerializer;
  /** Clean up expired entries on about one request in N+1 (stores with `cleanup` only). */
  cleanupNRequests?: number | null;
  /** `SESSION_MAX_BYTES`: a larger serialized session is refused with a 413, before any write. */
  maxBytes?: number;
  random?: () => number;
}

// Any sid we would accept from a cookie: URL-safe base64 (token_urlsafe) or a 0.3-era uuid4.
const sidShape = /^[A-Za-z0-9_-]{16,128}$/;

/** Flask-Session 0.8's `ServerSideSessionInterface`, over any SessionStore. */
export class ServerSideSessionInterface extends SessionInterface {
  readonly store: SessionStore;
  readonly keyPrefix: string;
  readonly sidLength: number;
  readonly permanent: boolean;
  readonly signer: SidSigner | undefined;
  readonly serializer: SessionSerializer;
  readonly cleanupNRequests: number | null;
  readonly maxBytes: number;
  readonly random: () => number;

  constructor(options: ServerSideOptions) {
    super(options);
    this.store = options.store;
    this.keyPrefix = options.keyPrefix ?? 'session:';
    this.sidLength = options.sidLength ?? 32;
    this.permanent = options.permanent ?? true;
    this.signer = options.signer;
    this.serializer = options.serializer ?? makeSerializer('msgpack');
    this.cleanupNRequests = options.cleanupNRequests ?? null;
    this.maxBytes = options.maxBytes ?? defaultSessionMaxBytes;
    this.random = options.random ?? Math.random;
  }

  // #region open-session
  /** The stored session the cookie names, or a new one: a missing, forged or unknown sid never survives. */
  async openSession(app: Flask, request: Request): Promise<ServerSideSession> {
    if (this.cleanupNRequests) await this.maybeCleanup(app);
    const sid = this.sidFromCookie(app, request);
    if (sid) {
      const data = await this.retrieve(app, sid);
      noteSession(
        'open',
        () => `${this.keyPrefix}${sid} ${data ? 'found' : 'not found'} in the ${this.store.backend} store`,
      );
      // The stored `_permanent` counts; SESSION_PERMANENT only shapes new sessions.
      if (data) return new ServerSideSession(data, sid);
    }
    // A storage miss gets a fresh sid (Flask-Session < 0.7 reused the visitor's: fixation).
    const session = new ServerSideSession([['_permanent', this.permanent]], generateSid(this.sidLength));
    session.new = true;
    return session;
  }

  protected sidFromCookie(app: Flask, request: Request): string | undefined {
    const value = request.cookies.get(this.getCookieName(app));
    if (!value) return undefined;
    const sid = this.signer ? this.signer.unsign(value) : value;
    return sid !== undefined && sidShape.test(sid) ? sid : undefined;
  }
  // #endregion open-session

  // #region save-session
  /** Flask-Session 0.8's `save_session`: storing and cookie-setting are two separate decisions. */
  async saveSession(app: Flask, session: Session, response: Response): Promise<void> {
    if (!(session instanceof ServerSideSession))
      throw new TypeError('ServerSideSessionInterface saves ServerSideSession objects only');
    if (session.accessed) response.addVary('Cookie');
    // #region save-logout
    if (session.isEmpty) {
      if (session.modified) {
        await this.beforeWrite(session);
        await this.call(this.store.delete(this.keyPrefix + session.sid));
        noteSession(
          'save',
          () => `deleted ${this.keyPrefix}${session.sid} from the ${this.store.backend} store`,
        );
        // Flask-Session drops Secure/HttpOnly/SameSite here; a deletion should match the cookie.
        response.deleteCookie(this.getCookieName(app), this.cookieOptions(app));
        response.addVary('Cookie');
      }
      return;
    }
    // #endregion save-logout
    // #region save-with-ttl
    // The server copy's lifetime slides on every request, permanent or not (Flask-Session #221).
    if (!(session.modified || app.config.SESSION_REFRESH_EACH_REQUEST)) return;
    const value = this.serializer.dumps(session.toJSON());
    checkSessionSize(value.length, this.maxBytes);
    await this.beforeWrite(session);
    if (!(await this.writeSession(session, value, app.config.PERMANENT_SESSION_LIFETIME))) {
      // A logout or a new sid ended it while this request ran: storing it would undo that.
      noteSession(
        'save',
        () =>
          `${this.keyPrefix}${session.sid} was ended by another request meanwhile: nothing stored, no cookie`,
      );
      return;
    }
    noteSession(
      'save',
      () =>
        `stored ${value.length} bytes under ${this.keyPrefix}${session.sid}, ttl ${app.config.PERMANENT_SESSION_LIFETIME} s`,
    );
    // #endregion save-with-ttl
    if (!this.shouldSetCookie(app, session)) return;
    const cookie = this.signer ? this.signer.sign(session.sid) : session.sid;
    const expires = this.getExpirationTime(app, session);
    response.setCookie(
      this.getCookieName(app),
      cookie,
      Object.assign(this.cookieOptions(app), { expires, maxSize: app.config.MAX_COOKIE_SIZE }),
    );
    response.addVary('Cookie');
  }

  /** A new sid is inserted; a session read from the store is replaced only while it is still there. */
  private async writeSession(
    session: ServerSideSession,
    value: Buffer,
    ttlSeconds: number,
  ): Promise<boolean> {
    const storeId = this.keyPrefix + session.sid;
    if (!session.new) return this.call(this.store.replace(storeId, value, ttlSeconds));
    await this.call(this.store.set(storeId, value, ttlSeconds));
    return true;
  }
  // #endregion save-session

  // #region regenerate
  /** Call at login: the data moves to a new sid and the old one is deleted, so a planted sid is worthless. */
  async regenerate(session: ServerSideSession): Promise<void> {
    if (session.isEmpty) return;
    await this.beforeWrite(session);
    await this.call(this.store.delete(this.keyPrefix + session.sid));
    const old = session.sid;
    session.sid = generateSid(this.sidLength);
    session.new = true; // never stored under this sid: its save inserts
    session.modified = true;
    noteSession('handler', () => `regenerate: ${this.keyPrefix}${old} deleted, new sid ${session.sid}`);
  }
  // #endregion regenerate

  /**
   * Runs just before every write to the store (a save, a delete, a regenerate), once the session is
   * serialized and its size checked. A subclass that throws here stops the write.
   */
  protected async beforeWrite(_session: ServerSideSession): Promise<void> {}

  /** Releases the backend's connections. */
  close(): Promise<void> {
    return this.store.close();
  }

  private async retrieve(app: Flask, sid: string): Promise<Record<string, unknown> | null> {
    const bytes = await this.call(this.store.get(this.keyPrefix + sid));
    if (!bytes) return null;
    try {
      return this.serializer.loads(bytes);
    } catch (error) {
      // Unreadable data (a 0.3-era pickle, corruption) is treated as a miss, never shown as a 500.
      app.logger.warn(
        `A stored session could not be decoded (${(error as Error).message}); starting a new session.`,
      );
      return null;
    }
  }

  // #region backend-down
  /** A failing or silent backend is a 503 with a clear message; the server itself stays up. */
  protected call<T>(operation: Promise<T>): Promise<T> {
    return operation.catch((error: unknown) => {
      if (!(error instanceof SessionBackendError)) throw error;
      throw new ServiceUnavailable(
        `The session store (${error.backend}) is not available right now. Please try again shortly.`,
        { cause: error },
      );
    });
  }
  // #endregion backend-down

  // #region cleanup-n-requests
  // SESSION_CLEANUP_N_REQUESTS: Flask-Session runs the cleanup when randint(0, N) == 0. A falsy
  // N (None or 0) means no cleanup on requests at all (base.py: `if self.cleanup_n_requests:`).
  private async maybeCleanup(app: Flask): Promise<void> {
    const n = this.cleanupNRequests;
    if (!n || !this.store.cleanup || Math.floor(this.random() * (n + 1)) !== 0) return;
    try {
      await this.store.cleanup();
    } catch (error) {
      app.logFailure(`session cleanup failed (${(error as Error).message})`, {
        kind: 'session cleanup failed',
      });
    }
  }
  // #endregion cleanup-n-requests
}
