/** One request waiting for a key: `done` settles when it is woken or its time is up. */
export interface Waiter {
  readonly done: Promise<void>;
  /** Ends the wait now. */
  wake(): void;
  /** Ends the wait within `ms` from now, if that is sooner than it was to end. */
  shorten(ms: number): void;
}

/**
 * The requests of this process waiting for a key, longest first. Whatever learns that a lease
 * was given back (a release here, a message from Redis or PostgreSQL) wakes one of them: the
 * others would only find the lease taken again. Each wait is bounded, so a wake-up that never
 * comes (a lost message, a holder that died) costs a retry, never a hang.
 */
export class Waiters {
  readonly #queues = new Map<string, Set<Waiter>>();

  /** Queues a waiter for `key`, woken by `wakeOne(key)` or after `maxMs`. */
  // #region waiter-add
  add(key: string, maxMs: number): Waiter {
    const queue = this.#queues.get(key) ?? new Set<Waiter>();
    this.#queues.set(key, queue);
    let resolve!: () => void, timer: NodeJS.Timeout | undefined;
    let endsAt = Infinity; // when the timer fires
    const waiter: Waiter = {
      done: new Promise<void>((r) => (resolve = r)),
      wake: () => {
        clearTimeout(timer);
        if (!queue.delete(waiter)) return;
        if (queue.size === 0) this.#queues.delete(key);
        resolve();
      },
      shorten: (ms) => {
        const at = Date.now() + Math.max(0, ms);
        if (at >= endsAt) return;
        endsAt = at;
        clearTimeout(timer);
        timer = setTimeout(waiter.wake, Math.max(0, ms));
      },
    };
    queue.add(waiter);
    waiter.shorten(maxMs);
    return waiter;
  }
  // #endregion waiter-add

  // #region waiter-wake-one
  /** Wakes the request that has waited longest for `key`; false when none waits. */
  wakeOne(key: string): boolean {
    const first: Waiter | undefined = this.#queues.get(key)?.values().next().value;
    first?.wake();
    return first !== undefined;
  }
  // #endregion waiter-wake-one
}

/**
 * The leases held by requests of this process, and the requests of this process waiting for
 * them. A release here wakes the request that has waited longest, and only that one. A wait for
 * a lease held here needs no backend at all: it ends at the release, or when the lease runs out.
 */
export class LocalLeases {
  readonly #held = new Map<string, { token: string; until: number }>();
  readonly waiters = new Waiters();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** True while a request of this process holds `key` and its lease has not run out. */
  isHeld(key: string): boolean {
    return (this.#held.get(key)?.until ?? 0) > this.#now();
  }

  /** Notes that `token`, a request of this process, holds `key` for `leaseMs`. */
  hold(key: string, token: string, leaseMs: number): void {
    this.#held.set(key, { token, until: this.#now() + leaseMs });
  }

  /** Extends the hold of `token` on `key` to `leaseMs` from now, only while it still holds it. */
  renew(key: string, token: string, leaseMs: number): boolean {
    if (!this.isHeld(key) || this.#held.get(key)?.token !== token) return false;
    this.hold(key, token, leaseMs);
    return true;
  }

  // #region lease-release-wait
  /** Ends the hold of `token` on `key` (a stale token changes nothing) and wakes the longest waiter. */
  release(key: string, token: string, wake = true): boolean {
    if (this.#held.get(key)?.token !== token) return false;
    this.#held.delete(key);
    if (wake) this.waiters.wakeOne(key);
    return true;
  }

  /** Resolves when `key` may be free: released here, run out, or, held elsewhere, after `elsewhereMs`; within `maxMs`. */
  wait(key: string, maxMs: number, elsewhereMs: number): Promise<void> {
    const held = this.#held.get(key);
    return this.waiters.add(key, Math.min(maxMs, held ? held.until - this.#now() : elsewhereMs)).done;
  }
  // #endregion lease-release-wait
}
