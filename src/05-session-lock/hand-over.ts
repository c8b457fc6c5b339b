import { randomBytes } from 'node:crypto';
import { ServiceUnavailable } from '../01-raw-http/http-errors.ts';
import { acquireLease, type HeldLease, type LeaseLock, type LockTimes } from './session-lock.ts';

/** How many times in a row a lease passes from request to request of this process before it goes back. */
const defaultMaxHandOvers = 8;
/** How long the next request here waits after giving the lease back, so another process's waiter can take it. */
const defaultYieldMs = 2;

export interface HandOverTimes extends LockTimes {
  maxHandOvers?: number;
  yieldMs?: number;
}

type Outcome = 'handed' | 'take' | 'timeout';

interface Queued {
  readonly token: string;
  readonly deadline: number;
  settle(outcome: Outcome): void;
  timer?: NodeJS.Timeout;
}

/** One key's lease in this process: the backend lease (`token`), the request that holds it now, the queue. */
interface KeyState {
  token: string | undefined; // the process's token on the backend, while it holds the lease
  holder: string | undefined; // the request of this process that holds it
  busy: boolean; // a request holds it or is taking it from the backend
  until: number; // when the backend lease runs out, at the latest, as last taken or renewed
  handOvers: number;
  readonly queue: Queued[];
}

const token = (): string => randomBytes(16).toString('base64url');

/**
 * The requests of one session in this process queue here, in memory, before the backend lease.
 * A holder that finishes while another request here waits hands the lease over in memory: the
 * backend lease stays this process's, the request that holds it changes, and no command is sent.
 * The last holder (or the one after `maxHandOvers` in a row, or when less than half the lease is
 * left) gives it back on the backend, and the next request here waits `yieldMs` before it asks
 * again, so another process's waiter gets its turn. Each request still renews before its write.
 */
export class HandOverLeases {
  readonly #keys = new Map<string, KeyState>();
  readonly #written = new Map<string, { token: string; value: Buffer; expires: number }>();
  readonly #lock: LeaseLock;
  readonly #times: HandOverTimes;
  readonly #now: () => number;

  constructor(lock: LeaseLock, times: HandOverTimes) {
    this.#lock = lock;
    this.#times = times;
    this.#now = times.now ?? Date.now;
  }

  /** Waits (bounded) for the lease on `key`: handed over here, or taken from the backend; or throws 503. */
  async acquire(key: string): Promise<HeldLease> {
    const me = token();
    const deadline = this.#now() + this.#times.waitMs;
    let state = this.#keys.get(key);
    if (state?.busy || state?.queue.length) {
      const outcome = await this.#enqueue(key, state, me, deadline);
      if (outcome === 'timeout')
        throw new ServiceUnavailable(
          'Another request of this session is still running. Please try again shortly.',
        );
      if (outcome === 'handed') return this.#held(key, state, me);
    } else {
      state = { token: undefined, holder: undefined, busy: true, until: 0, handOvers: 0, queue: [] };
      this.#keys.set(key, state);
    }
    // This request takes the lease from the backend, with a new token of the process.
    try {
      let sentAt = 0; // when the try that took it was sent: the backend lease runs out leaseMs after, at the latest
      const lock = this.#lock;
      const timed: LeaseLock = {
        tryAcquire: (k, t, ms) => ((sentAt = this.#now()), lock.tryAcquire(k, t, ms)),
        renew: (k, t, ms) => lock.renew(k, t, ms),
        release: (k, t) => lock.release(k, t),
        waitForRelease: (k, ms) => lock.waitForRelease(k, ms),
        close: () => lock.close(),
      };
      const lease = await acquireLease(timed, key, { ...this.#times, waitMs: deadline - this.#now() });
      Object.assign(state, {
        token: lease.token,
        holder: me,
        until: sentAt + this.#times.leaseMs,
        handOvers: 0,
      });
      return this.#held(key, state, me);
    } catch (error) {
      this.#passOn(key, state);
      throw error;
    }
  }

  /** Notes what the holder of `key` has just stored under it, for the request it hands the lease to. */
  remember(key: string, value: Buffer | undefined, ttlSeconds = 0): void {
    const state = this.#keys.get(key);
    if (!value || !state?.token || state.holder === undefined) this.#written.delete(key);
    else this.#written.set(key, { token: state.token, value, expires: this.#now() + ttlSeconds * 1000 });
  }

  /**
   * What the last holder here stored under `key`, while this process has held the lease ever
   * since (the same backend lease, still within its time), so nobody else can have written; once.
   */
  recall(key: string): Buffer | undefined {
    const written = this.#written.get(key);
    this.#written.delete(key);
    const state = this.#keys.get(key);
    const now = this.#now();
    if (!written || !state || state.holder === undefined || state.token !== written.token) return undefined;
    return now < state.until && now < written.expires ? written.value : undefined;
  }

  #held(key: string, state: KeyState, me: string): HeldLease {
    const processToken = state.token!;
    return {
      renew: async () => {
        if (state.holder !== me) return false;
        const sentAt = this.#now();
        const renewed = await this.#lock.renew(key, processToken, this.#times.leaseMs);
        if (renewed && state.holder === me) state.until = sentAt + this.#times.leaseMs;
        return renewed;
      },
      release: () => this.#release(key, state, me, processToken),
    };
  }

  // #region hand-over-release
  async #release(key: string, state: KeyState, me: string, processToken: string): Promise<void> {
    if (state.holder !== me) {
      // Its lease ran out and another request here took over: give back what is still ours, if anything.
      if (state.token !== processToken) await this.#lock.release(key, processToken);
      return;
    }
    const next = state.queue[0];
    const max = this.#times.maxHandOvers ?? defaultMaxHandOvers;
    if (next && state.handOvers < max && state.until - this.#now() >= this.#times.leaseMs / 2) {
      state.queue.shift();
      state.handOvers += 1;
      state.holder = next.token;
      next.settle('handed'); // no command: the backend lease stays this process's
      return;
    }
    state.holder = undefined;
    state.token = undefined;
    this.#written.delete(key);
    try {
      await this.#lock.release(key, processToken);
    } finally {
      if (state.queue.length === 0) this.#passOn(key, state);
      else setTimeout(() => this.#passOn(key, state), this.#times.yieldMs ?? defaultYieldMs);
    }
  }
  // #endregion hand-over-release

  // Nobody here holds the lease: the longest waiter takes it from the backend, or the key is forgotten.
  #passOn(key: string, state: KeyState): void {
    if (state.holder !== undefined) return;
    const next = state.queue.shift();
    state.busy = next !== undefined;
    if (next) next.settle('take');
    else if (this.#keys.get(key) === state) this.#keys.delete(key);
  }

  // Queued until handed the lease, told to take it, or its wait is up (503). A holder of this
  // process that outlives its lease is taken over from, as the backend would let another process.
  #enqueue(key: string, state: KeyState, me: string, deadline: number): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const queued: Queued = {
        token: me,
        deadline,
        settle: (outcome) => {
          clearTimeout(queued.timer);
          resolve(outcome);
        },
      };
      const arm = (): void => {
        const at = state.holder !== undefined ? Math.min(deadline, state.until) : deadline;
        queued.timer = setTimeout(check, Math.max(0, at - this.#now()));
      };
      const check = (): void => {
        if (state.holder !== undefined && state.until <= this.#now()) {
          state.holder = undefined; // ran out: its renewal fails from now on
          state.token = undefined;
          this.#written.delete(key);
          state.busy = false;
          this.#passOn(key, state);
        }
        if (!state.queue.includes(queued)) return;
        if (this.#now() >= deadline) {
          state.queue.splice(state.queue.indexOf(queued), 1);
          if (!state.busy) this.#passOn(key, state);
          queued.settle('timeout');
          return;
        }
        arm();
      };
      state.queue.push(queued);
      arm();
    });
  }
}
