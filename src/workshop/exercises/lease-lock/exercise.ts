import * as timers from 'node:timers/promises';
import type { HeldLease } from '../../../05-session-lock/session-lock.ts';
import { CheckFailed, show } from '../../expect.ts';
import type { CreateLeaseLock } from '../../starters/types.ts';
import type { Check, Exercise } from '../../types.ts';

/** What the learner writes: an in-process lease lock with owner tokens and a bounded wait. */
export interface Impl {
  createLeaseLock: CreateLeaseLock;
}

const long = { leaseMs: 60_000, waitMs: 2_000 };
const late: unique symbol = Symbol('not settled');

/** A lock on a clock the check can move forward, counting how often the lock reads it. */
function open(impl: Impl) {
  const clock = { offset: 0, reads: 0 };
  const lock = impl.createLeaseLock(() => (clock.reads++, Date.now() + clock.offset));
  return { lock, clock, advance: (ms: number) => (clock.offset += ms) };
}

/** What `promise` settles to within `ms`: its value, its error wrapped in { error }, or `late`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | { error: unknown } | typeof late> {
  return Promise.race([
    promise.catch((error: unknown) => ({ error })),
    timers.setTimeout(ms).then((): typeof late => late),
  ]);
}

async function take(
  lock: ReturnType<Impl['createLeaseLock']>,
  key: string,
  times = long,
  why = '',
): Promise<HeldLease> {
  const got = await within(lock.acquire(key, times), 1_000);
  if (got === late)
    throw new CheckFailed(
      `acquire(${show(key)}) did not resolve within 1 s although ${why || 'nobody held the lease'}`,
    );
  if (typeof got === 'object' && got !== null && 'error' in got) throw got.error;
  const lease = got as HeldLease;
  if (typeof lease?.release !== 'function' || typeof lease?.renew !== 'function') {
    throw new CheckFailed(
      `acquire resolved to ${show(lease)}: resolve with { renew(), release() }, bound to this request's own token`,
    );
  }
  return lease;
}

/** The acquire must end with a 503 (ServiceUnavailable) about `waitMs` after it started. */
async function expectRefused(
  lock: ReturnType<Impl['createLeaseLock']>,
  key: string,
  waitMs: number,
  why: string,
): Promise<void> {
  const got = await within(lock.acquire(key, { leaseMs: 60_000, waitMs }), waitMs + 1_500);
  if (got === late)
    throw new CheckFailed(
      `acquire with waitMs ${waitMs} was still waiting ${waitMs + 1_500} ms later: ${why}; the wait must be bounded (a deadline, then throw new ServiceUnavailable(...))`,
    );
  if (!(typeof got === 'object' && got !== null && 'error' in got))
    throw new CheckFailed(`acquire resolved, so two requests held ${show(key)} at once: ${why}`);
  const error = got.error as { code?: unknown; name?: unknown };
  if (error?.code !== 503)
    throw new CheckFailed(
      `acquire rejected with ${show(got.error)}: past waitMs, throw new ServiceUnavailable(...) (src/01-raw-http/http-errors.ts), which the server answers as a 503`,
    );
}

const checks: Check<Impl>[] = [
  {
    name: 'a free lease is taken at once',
    run: async (impl) => {
      const { lock } = open(impl);
      await (await take(lock, 'session:a')).release();
    },
  },
  {
    name: 'a held lease is not handed out twice: the second request waits, then gets a 503',
    run: async (impl) => {
      const { lock } = open(impl);
      const first = await take(lock, 'session:a');
      await expectRefused(lock, 'session:a', 50, 'the first request still holds the lease');
      await first.release();
    },
  },
  {
    name: 'leases of different sessions do not wait for each other',
    run: async (impl) => {
      const { lock } = open(impl);
      const a = await take(lock, 'session:a');
      await (await take(lock, 'session:b', long, 'only session:a is held: keep one lease per key')).release();
      await a.release();
    },
  },
  {
    name: 'a release wakes the waiting request at once',
    run: async (impl) => {
      const { lock } = open(impl);
      const holder = await take(lock, 'session:a');
      const waiter = lock.acquire('session:a', long);
      await timers.setTimeout(30);
      await holder.release();
      const got = await within(waiter, 500);
      if (got === late)
        throw new CheckFailed(
          'the waiting request was still waiting 500 ms after the release: release must wake a waiter (keep a queue of resolve functions per key and call the first)',
        );
      if (typeof got === 'object' && got !== null && 'error' in got)
        throw new CheckFailed(`the waiting request failed after the release: ${show(got.error)}`);
      await (got as HeldLease).release();
    },
  },
  {
    name: 'a waiting request sleeps until it is woken: it does not poll',
    run: async (impl) => {
      const { lock, clock } = open(impl);
      const holder = await take(lock, 'session:a');
      const waiter = lock.acquire('session:a', long);
      await timers.setTimeout(50);
      const before = clock.reads;
      await timers.setTimeout(300);
      const reads = clock.reads - before;
      await holder.release();
      await within(waiter, 500).then((got) => (got as HeldLease)?.release?.());
      if (reads > 3)
        throw new CheckFailed(
          `while the lease was held, the waiting request read the clock ${reads} times in 300 ms: it asks again and again. Wait on a promise that release() resolves (with one timer for the deadline or the lease's end), not in a loop of short sleeps`,
        );
    },
  },
  {
    name: 'a lease whose holder never releases it runs out, and a waiter gets it then',
    run: async (impl) => {
      const { lock } = open(impl);
      await take(lock, 'session:a', { leaseMs: 150, waitMs: 2_000 }); // a holder that crashed: never released
      const got = await within(lock.acquire('session:a', { leaseMs: 60_000, waitMs: 5_000 }), 1_500);
      if (got === late)
        throw new CheckFailed(
          "a lease of 150 ms, never released, still blocked a waiter 1.5 s later: store the lease's end (now() + leaseMs) and let a waiter wake when it comes, not only at a release",
        );
      if (typeof got === 'object' && got !== null && 'error' in got)
        throw new CheckFailed(`the waiter failed instead of taking the expired lease: ${show(got.error)}`);
      await (got as HeldLease).release();
    },
  },
  {
    name: "only the holder releases: a late release does not free the next holder's lease",
    run: async (impl) => {
      const { lock, advance } = open(impl);
      const slow = await take(lock, 'session:a', { leaseMs: 1_000, waitMs: 2_000 });
      advance(1_001); // the slow request outlived its lease
      const next = await take(lock, 'session:a', long, 'the first lease ran out (now() moved past its end)');
      await slow.release(); // the slow request finishes, late
      await expectRefused(
        lock,
        'session:a',
        50,
        'the slow request released a lease that was no longer its own; release only when the token still matches',
      );
      await next.release();
    },
  },
  {
    name: 'the holder renews its lease; a lease that ran out, or was released, is not renewed',
    run: async (impl) => {
      const { lock, advance } = open(impl);
      const lease = await take(lock, 'session:a', { leaseMs: 1_000, waitMs: 2_000 });
      advance(800);
      if ((await lease.renew()) !== true)
        throw new CheckFailed(
          'renew() of a live lease by its holder must resolve true and extend it to leaseMs from now',
        );
      advance(800); // 1,600 ms after it was taken, 800 after the renewal
      await expectRefused(lock, 'session:a', 50, 'the renewed lease still has 200 ms to run');
      advance(300);
      if ((await lease.renew()) !== false)
        throw new CheckFailed(
          'renew() of a lease that ran out must resolve false: the request lost it and must not write',
        );
      const other = await take(lock, 'session:a', long, 'the lease ran out');
      await lease.release();
      if ((await lease.renew()) !== false)
        throw new CheckFailed('renew() by a request that no longer holds the lease must resolve false');
      await other.release();
    },
  },
  {
    name: 'each release wakes one waiter, the one that has waited longest',
    run: async (impl) => {
      const { lock } = open(impl);
      const holder = await take(lock, 'session:a');
      const order: string[] = [];
      const wait = (name: string) =>
        lock.acquire('session:a', long).then((lease) => (order.push(name), lease));
      const first = wait('first');
      await timers.setTimeout(10);
      const second = wait('second');
      await timers.setTimeout(10);
      await holder.release();
      const got = await within(first, 500);
      if (got === late) throw new CheckFailed('the first waiter was not woken by the release');
      await timers.setTimeout(30);
      if (order.join() !== 'first')
        throw new CheckFailed(
          `after one release, ${show(order)} held the lease: wake the longest waiter, and only that one`,
        );
      await (got as HeldLease).release();
      await (await second).release();
    },
  },
];

/** Lesson 05: the lock that makes one session's requests run one at a time. */
export const exercise: Exercise<Impl> = {
  id: 'lease-lock',
  step: '05-session-lock',
  title: 'Write an in-process lease lock: owner token, bounded wait, wake the next waiter',
  lesson: 'lessons/05-session-lock.md',
  starter: 'src/workshop/starters/lease-lock.ts',
  solution: 'src/05-session-lock/local-leases.ts',
  hint: 'Keep a Map key → { token, until } and a Map key → queue of waiters. acquire: a random token and a deadline; loop: take the lease if it is free or ran out (until <= now()); else, past the deadline, throw ServiceUnavailable; else wait on a promise that release (or a timer at min(deadline, until)) resolves. release and renew act only when the token still holds the lease.',
  reference: async () => {
    const { MemoryLeaseLock, acquireLease } = await import('../../../05-session-lock/session-lock.ts');
    return {
      createLeaseLock: (now) => {
        const lock = new MemoryLeaseLock(now);
        return { acquire: (key, times) => acquireLease(lock, key, { ...times, now }) };
      },
    };
  },
  checks,
};
