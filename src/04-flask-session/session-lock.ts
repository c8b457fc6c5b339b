import { randomBytes } from 'node:crypto';
import { ServiceUnavailable } from '../01-raw-http/http-errors.ts';

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
  /** Gives the lease back, only if `token` still holds it. */
  release(key: string, token: string): Promise<void>;
  /** Resolves when the lease on `key` may be free again (released, expired, or worth asking again), within `maxMs`. */
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

// #region acquire-lease
/** Waits (bounded) for the lease on `key`; resolves with the function that gives it back, or throws 503. */
export async function acquireLease(lock: LeaseLock, key: string, times: LockTimes): Promise<() => Promise<void>> {
  const now = times.now ?? Date.now;
  const token = randomBytes(16).toString('base64url');
  const deadline = now() + times.waitMs;
  for (;;) {
    if (await lock.tryAcquire(key, token, times.leaseMs)) return () => lock.release(key, token);
    const left = deadline - now();
    if (left <= 0) throw new ServiceUnavailable('Another request of this session is still running. Please try again shortly.');
    await lock.waitForRelease(key, left);
  }
}
// #endregion acquire-lease

interface Lease {
  token: string;
  expiresAt: number;
}

// #region memory-lock
/** The lease table in this process: enough for the filesystem and SQLite backends of one server process. */
export class MemoryLeaseLock implements LeaseLock {
  readonly #leases = new Map<string, Lease>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async tryAcquire(key: string, token: string, leaseMs: number): Promise<boolean> {
    const held = this.#leases.get(key);
    if (held && held.expiresAt > this.#now()) return false;
    this.#leases.set(key, { token, expiresAt: this.#now() + leaseMs });
    return true;
  }

  async release(key: string, token: string): Promise<void> {
    if (this.#leases.get(key)?.token !== token) return;
    this.#leases.delete(key);
    const waiters = this.#waiters.get(key);
    this.#waiters.delete(key);
    for (const wake of waiters ?? []) wake();
  }

  waitForRelease(key: string, maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(key) ?? new Set();
      this.#waiters.set(key, waiters);
      const wake = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      // The lease may also run out without a release (a holder that died): look again then.
      const held = this.#leases.get(key);
      const timer = setTimeout(wake, Math.max(0, Math.min(maxMs, (held?.expiresAt ?? 0) - this.#now())));
      waiters.add(wake);
    });
  }

  async close(): Promise<void> {}
}
// #endregion memory-lock
