import type { Flask } from '../01-raw-http/app.ts';
import { ServiceUnavailable } from '../01-raw-http/http-errors.ts';
import type { Request } from '../01-raw-http/request.ts';
import type { Response } from '../01-raw-http/response.ts';
import type { Session } from '../01-raw-http/session.ts';
import {
  ServerSideSessionInterface,
  type ServerSideOptions,
} from '../04-flask-session/server-side-interface.ts';
import type { ServerSideSession } from '../04-flask-session/server-side-session.ts';
import type { SessionStore } from '../04-flask-session/store.ts';
import { HandOverLeases } from './hand-over.ts';
import { type HeldLease, type LeaseLock, type LockTimes } from './session-lock.ts';

/** The server-side interface plus `SESSION_LOCK`: one request per session at a time. */
export interface LockingOptions extends ServerSideOptions {
  lock: LeaseLock;
  times: LockTimes;
}

/**
 * Takes the session's lease before reading it and gives it back once it is saved (or once
 * opening failed), so concurrent requests of one session run one after another and none of
 * their changes is lost. A new visitor has no sid yet, hence nothing to wait for. A request that
 * outlived its lease must not write: another request may have taken the lease and saved since.
 */
export class LockingSessionInterface extends ServerSideSessionInterface {
  readonly lock: LeaseLock;
  readonly times: LockTimes;
  readonly #leases = new WeakMap<Session, HeldLease>();
  readonly #handOver: HandOverLeases;

  constructor(options: LockingOptions) {
    const handOver = new HandOverLeases(options.lock, options.times);
    super({ ...options, store: rememberingWrites(options.store, handOver) });
    this.lock = options.lock;
    this.times = options.times;
    this.#handOver = handOver;
  }

  // #region open-session
  override async openSession(app: Flask, request: Request): Promise<ServerSideSession> {
    const sid = this.sidFromCookie(app, request);
    const lease = sid ? await this.call(this.#handOver.acquire(this.keyPrefix + sid)) : undefined;
    try {
      const session = await super.openSession(app, request);
      if (lease) this.#leases.set(session, lease);
      return session;
    } catch (error) {
      await lease?.release().catch(() => {});
      throw error;
    }
  }
  // #endregion open-session

  // #region before-write
  // Renewed in one step with the check that it is still ours, so the write that follows runs
  // inside the lease: nobody else can read, change and save this session until it is done.
  protected override async beforeWrite(session: ServerSideSession): Promise<void> {
    const lease = this.#leases.get(session);
    if (!lease || (await this.call(lease.renew()))) return;
    throw new ServiceUnavailable(
      'This request took longer than its session lock (SESSION_LOCK_LEASE_MS); its changes were not saved. Please try again.',
    );
  }
  // #endregion before-write

  override async saveSession(app: Flask, session: Session, response: Response): Promise<void> {
    try {
      await super.saveSession(app, session, response);
    } finally {
      const lease = this.#leases.get(session);
      this.#leases.delete(session);
      // A lease that cannot be given back (the backend just went away) runs out by itself.
      await lease?.release().catch((error: unknown) =>
        app.logFailure(`could not release a session lock: ${(error as Error).message}`, {
          kind: 'session lock release',
        }),
      );
    }
  }

  override async close(): Promise<void> {
    await this.lock.close();
    await super.close();
  }
}

// A request handed the lease in memory reads what its predecessor here has just stored, with no
// round trip: the lease never left this process in between, so nobody else can have written.
function rememberingWrites(store: SessionStore, handOver: HandOverLeases): SessionStore {
  return {
    backend: store.backend,
    get: async (id) => handOver.recall(id) ?? store.get(id),
    set: async (id, value, ttl) => {
      handOver.remember(id, undefined);
      await store.set(id, value, ttl);
      handOver.remember(id, value, ttl);
    },
    replace: async (id, value, ttl) => {
      handOver.remember(id, undefined);
      const replaced = await store.replace(id, value, ttl);
      if (replaced) handOver.remember(id, value, ttl);
      return replaced;
    },
    delete: (id) => (handOver.remember(id, undefined), store.delete(id)),
    ...(store.cleanup ? { cleanup: () => store.cleanup!() } : {}),
    close: () => store.close(),
  };
}
