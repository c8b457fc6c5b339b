import { randomBytes } from 'node:crypto';
import { ServiceUnavailable } from '../01-raw-http/http-errors.ts';
import { guarded } from '../04-flask-session/store.ts';
import { LocalLeases } from './local-leases.ts';

// #region lease-lock
/**
 * A lease on one session (`SESSION_LOCK`): taken before the session is read, given back after it
 * is saved, so the requests of one session run one at a time, as PHP's file sessions do with
 * flock. A lease expires by itself, so a crashed holder cannot block its session for good, and
 * only the holder's token can give it back.
 */
export interface LeaseLock {
  /** Takes the lease on `key` for `leaseMs` if nobody holds it; true when taken. */
  tryAcquire(key: string, token: string, leaseMs: number): Promise<boolean>;
  /** Extends the lease to `leaseMs` from now, in one step with the check that `token` still holds it; false when it has lost it. */
  renew(key: string, token: string, leaseMs: number): Promise<boolean>;
  /** Gives the lease back, only if `token` still holds it. */
  release(key: string, token: string): Promise<void>;
  /**
   * Resolves when the lease on `key` may be free again: woken by its release, or at its expiry,
   * or after a bounded re-check; within `maxMs`. It never rejects, and never polls.
   */
  waitForRelease(key: string, maxMs: number): Promise<void>;
  close(): Promise<void>;
}
// #endregion lease-lock

/** How long a request may hold its session, and how long another may wait for it. */
export interface LockTimes {
  leaseMs: number;
  waitMs: number;
  now?: () => number;
}

/** A lease a request holds: renewed just before the session is written, given back after. */
export interface HeldLease {
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

// #region acquire-lease
/** Waits (bounded) for the lease on `key`; resolves with the lease held, or throws 503. */
export async function acquireLease(
  lock: LeaseLock,
  key: string,
  times: LockTimes,
): Promise<HeldLease & { token: string }> {
  const now = times.now ?? Date.now;
  const token = randomBytes(16).toString('base64url');
  const deadline = now() + times.waitMs;
  for (;;) {
    if (await lock.tryAcquire(key, token, times.leaseMs)) {
      return {
        token,
        renew: () => lock.renew(key, token, times.leaseMs),
        release: () => lock.release(key, token),
      };
    }
    const left = deadline - now();
    if (left <= 0)
      throw new ServiceUnavailable(
        'Another request of this session is still running. Please try again shortly.',
      );
    await lock.waitForRelease(key, left);
  }
}
// #endregion acquire-lease

/**
 * Bounds the lock's backend calls as `guardStore` bounds the store's: a lock client that hangs
 * (a stopped Redis, a SQL lock-table wait) fails within `timeoutMs`, and any client's own error
 * becomes a SessionBackendError, so the request gets a 503 either way.
 */
export function guardLock(lock: LeaseLock, backend: string, timeoutMs: number): LeaseLock {
  return {
    tryAcquire: (key, token, leaseMs) =>
      guarded(backend, 'lock', timeoutMs, () => lock.tryAcquire(key, token, leaseMs)),
    renew: (key, token, leaseMs) =>
      guarded(backend, 'lock renewal', timeoutMs, () => lock.renew(key, token, leaseMs)),
    release: (key, token) => guarded(backend, 'unlock', timeoutMs, () => lock.release(key, token)),
    // Bounded by its own timers and never rejects: the next tryAcquire meets a backend that is gone.
    waitForRelease: (key, maxMs) => lock.waitForRelease(key, maxMs),
    // Shutting down must not hang or throw because the backend is gone.
    close: () => guarded(backend, 'close', timeoutMs, () => lock.close()).catch(() => {}),
  };
}

/** The lease table in this process: enough for the filesystem and SQLite backends of one server process. */
export class MemoryLeaseLock implements LeaseLock {
  readonly #leases: LocalLeases;

  constructor(now: () => number = Date.now) {
    this.#leases = new LocalLeases(now);
  }

  async tryAcquire(key: string, token: string, leaseMs: number): Promise<boolean> {
    if (this.#leases.isHeld(key)) return false;
    this.#leases.hold(key, token, leaseMs);
    return true;
  }

  // Synchronous in one process: nothing can take the lease between the check and the extension.
  async renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    return this.#leases.renew(key, token, leaseMs);
  }

  async release(key: string, token: string): Promise<void> {
    this.#leases.release(key, token);
  }

  // Nobody outside this process can hold these leases, so there is nothing to poll for.
  waitForRelease(key: string, maxMs: number): Promise<void> {
    return this.#leases.wait(key, maxMs, 0);
  }

  async close(): Promise<void> {}
}
