import type { Flask } from '../01-raw-http/app.ts';
import type { Request } from '../01-raw-http/request.ts';
import type { Response } from '../01-raw-http/response.ts';
import type { Session } from '../01-raw-http/session.ts';
import { ServerSideSessionInterface, type ServerSideOptions } from './server-side-interface.ts';
import type { ServerSideSession } from './server-side-session.ts';
import { acquireLease, type LeaseLock, type LockTimes } from './session-lock.ts';

/** The server-side interface plus `SESSION_LOCK`: one request per session at a time. */
export interface LockingOptions extends ServerSideOptions {
  lock: LeaseLock;
  times: LockTimes;
}

// #region locking-interface
/**
 * Takes the session's lease before reading it and gives it back once it is saved (or once
 * opening failed), so concurrent requests of one session run one after another and none of
 * their changes is lost. A new visitor has no sid yet, hence nothing to wait for.
 */
export class LockingSessionInterface extends ServerSideSessionInterface {
  readonly lock: LeaseLock;
  readonly times: LockTimes;
  readonly #releases = new WeakMap<Session, () => Promise<void>>();

  constructor(options: LockingOptions) {
    super(options);
    this.lock = options.lock;
    this.times = options.times;
  }

  override async openSession(app: Flask, request: Request): Promise<ServerSideSession> {
    const sid = this.sidFromCookie(app, request);
    const release = sid ? await this.call(acquireLease(this.lock, this.keyPrefix + sid, this.times)) : undefined;
    try {
      const session = await super.openSession(app, request);
      if (release) this.#releases.set(session, release);
      return session;
    } catch (error) {
      await release?.().catch(() => {});
      throw error;
    }
  }

  override async saveSession(app: Flask, session: Session, response: Response): Promise<void> {
    try {
      await super.saveSession(app, session, response);
    } finally {
      const release = this.#releases.get(session);
      this.#releases.delete(session);
      // A lease that cannot be given back (the backend just went away) runs out by itself.
      await release?.().catch((error: unknown) => app.logger.warn(`could not release a session lock: ${(error as Error).message}`));
    }
  }

  override async close(): Promise<void> {
    await this.lock.close();
    await super.close();
  }
}
// #endregion locking-interface
