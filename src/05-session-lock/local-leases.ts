// #region local-leases
/**
 * The leases held by requests of this process, and the requests of this process waiting for
 * them. A release here wakes the request that has waited longest, and only that one (the others
 * would find the lease taken again). A wait for a lease held here needs no polling: it ends at the
 * release, or when the lease runs out. Only a lease held elsewhere (another server process) is
 * asked for again every `pollMs`.
 */
export class LocalLeases {
  readonly #held = new Map<string, { token: string; until: number }>();
  readonly #waiters = new Map<string, Set<() => void>>();
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

  /** Ends the hold of `token` on `key` (a stale token changes nothing) and wakes the longest waiter. */
  release(key: string, token: string): boolean {
    if (this.#held.get(key)?.token !== token) return false;
    this.#held.delete(key);
    const first: (() => void) | undefined = this.#waiters.get(key)?.values().next().value;
    first?.();
    return true;
  }

  /** Resolves when `key` may be free: released here, run out, or, held elsewhere, after `pollMs`; within `maxMs`. */
  wait(key: string, maxMs: number, pollMs: number): Promise<void> {
    const held = this.#held.get(key);
    const bound = held ? held.until - this.#now() : pollMs;
    return new Promise((resolve) => {
      const queue = this.#waiters.get(key) ?? new Set<() => void>();
      this.#waiters.set(key, queue);
      const wake = (): void => {
        clearTimeout(timer);
        queue.delete(wake);
        if (queue.size === 0) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, Math.min(maxMs, bound)));
      queue.add(wake);
    });
  }
}
// #endregion local-leases
