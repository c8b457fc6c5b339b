import { SessionTooLarge } from '../03-json-file/session-size.ts';
import { SessionBackendError } from './backend-error.ts';

/**
 * What a Flask-Session backend must do, as small as express-session's store contract but
 * shaped like Flask-Session's `_retrieve_session_data` / `_upsert_session` / `_delete_session`:
 * bytes in, bytes out, keyed by `storeId` (`SESSION_KEY_PREFIX` + sid). Every backend keeps the
 * same two rules where backends differ by themselves: a lifetime is whole seconds, rounded up and at
 * least 1 (`storedSeconds`), and an empty value is stored and read back empty, never as missing.
 */
// #region session-store
export interface SessionStore {
  /** The backend's name, for error messages and logs. */
  readonly backend: string;
  /** The stored bytes, or null when missing or expired (never expired data). */
  get(storeId: string): Promise<Buffer | null>;
  /** Inserts or replaces atomically, expiring `storedSeconds(ttlSeconds)` from now. For a sid never stored yet. */
  set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void>;
  /**
   * Replaces the entry only if it is still there and unexpired, in one atomic step; false, and
   * nothing written, when it is gone. A session read from the store is saved with this, so a
   * request that read it before a logout or a new sid cannot store it again afterwards.
   */
  replace(storeId: string, value: Buffer, ttlSeconds: number): Promise<boolean>;
  /** Removes the entry; removing a missing one is not an error. */
  delete(storeId: string): Promise<void>;
  /** Backends without native expiry delete expired entries here; returns how many. */
  cleanup?(): Promise<number>;
  /** Releases connections and files; the store is unusable afterwards. */
  close(): Promise<void>;
}
// #endregion session-store

/** A lifetime as every store keeps it: whole seconds, rounded up, at least 1 (what Redis' `EX` can hold). */
export function storedSeconds(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds));
}

/** Options every store takes: the clock (ms since the epoch), injected so tests can move it. */
export interface StoreClock {
  now?: () => number;
}

// #region guard-store
/**
 * Wraps a store so each call either settles within `timeoutMs` or fails with a
 * SessionBackendError: a client that hangs (a half-open socket, a full pool) cannot hold a
 * request forever, and every client's own error type becomes the one the interface maps to 503.
 */
export function guardStore(store: SessionStore, timeoutMs: number): SessionStore {
  const call = <T>(operation: string, fn: () => Promise<T>): Promise<T> =>
    guarded(store.backend, operation, timeoutMs, fn);
  return {
    backend: store.backend,
    get: (storeId) => call('get', () => store.get(storeId)),
    set: (storeId, value, ttlSeconds) => call('set', () => store.set(storeId, value, ttlSeconds)),
    replace: (storeId, value, ttlSeconds) => call('replace', () => store.replace(storeId, value, ttlSeconds)),
    delete: (storeId) => call('delete', () => store.delete(storeId)),
    ...(store.cleanup ? { cleanup: () => call('cleanup', () => store.cleanup!()) } : {}),
    close: () => closeWithin(store, timeoutMs),
  };
}

// Shutting down must not hang or throw because the backend is gone: a pool that is still
// dialing a dead server rejects its `end()`, and nothing useful can be done about it then.
async function closeWithin(store: SessionStore, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  try {
    await Promise.race([store.close().catch(() => {}), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One backend call that settles within `timeoutMs`, every failure a SessionBackendError; the session lock's calls go through it too. */
export function guarded<T>(
  backend: string,
  operation: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  // One promise settled by whichever comes first: cheaper per call than an async function
  // around Promise.race, and this runs twice on every request.
  return new Promise<T>((resolve, reject) => {
    const late = (): void =>
      reject(new SessionBackendError(backend, `${operation} did not answer within ${timeoutMs} ms`));
    // Timers run before I/O in each turn of the event loop: after this process was too busy to
    // look (a long task, a loaded machine), an answer may be waiting unread. setImmediate lets
    // the I/O phase read it first, so only a backend that really is late gets the blame.
    const timer = setTimeout(() => setImmediate(late), timeoutMs);
    const settle = (): void => clearTimeout(timer);
    let pending: Promise<T>;
    try {
      pending = fn();
    } catch (error) {
      pending = Promise.reject(error); // a store that throws instead of rejecting is still guarded
    }
    pending.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        // A value the backend refuses as too large is the visitor's 413, not a backend that is down.
        const known = error instanceof SessionBackendError || error instanceof SessionTooLarge;
        reject(
          known
            ? error
            : new SessionBackendError(backend, `${operation} failed: ${describe(error)}`, { cause: error }),
        );
      },
    );
  });
}
// #endregion guard-store

/** The client's error name, code and message: what failed, for the log and the 503's cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return [error.name, typeof code === 'string' ? code : undefined, error.message].filter(Boolean).join(': ');
}
