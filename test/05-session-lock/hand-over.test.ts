/**
 * The requests of one session in one process queue in memory in front of the backend lease: a
 * holder hands the lease to the next one here with no command, a request queued here still gives
 * up at its deadline (503), and after a bounded run of hand-overs the lease goes back to the
 * backend, where a waiter of another process (another lock) gets its turn.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as timers from 'node:timers/promises';
import { ServiceUnavailable } from '../../src/01-raw-http/http-errors.ts';
import { createRedisClient } from '../../src/04-flask-session/stores/redis-store.ts';
import { HandOverLeases } from '../../src/05-session-lock/hand-over.ts';
import { RedisLeaseLock } from '../../src/05-session-lock/redis-lock.ts';
import { acquireLease, type LeaseLock, MemoryLeaseLock } from '../../src/05-session-lock/session-lock.ts';
import { backendUrls, requireBackend } from '../support/backends.ts';

/** Counts the calls made to `lock`, each one backend command. */
function counting(lock: LeaseLock): { lock: LeaseLock; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lock: {
      tryAcquire: (k, t, ms) => (calls.push('tryAcquire'), lock.tryAcquire(k, t, ms)),
      renew: (k, t, ms) => (calls.push('renew'), lock.renew(k, t, ms)),
      release: (k, t) => (calls.push('release'), lock.release(k, t)),
      waitForRelease: (k, ms) => (calls.push('waitForRelease'), lock.waitForRelease(k, ms)),
      close: () => lock.close(),
    },
  };
}

async function redisLock(t: { after(fn: () => Promise<void>): void }): Promise<RedisLeaseLock> {
  const client = createRedisClient(backendUrls.redis, 1_000);
  await client.connect();
  const lock = new RedisLeaseLock({ client, owned: true });
  t.after(() => lock.close());
  return lock;
}

test(
  'a hand-over to a request of this process sends no command; only the last holder releases',
  { timeout: 20_000 },
  async (t) => {
    if (!(await requireBackend(t, 'redis'))) return;
    const { lock, calls } = counting(await redisLock(t));
    const leases = new HandOverLeases(lock, { leaseMs: 10_000, waitMs: 5_000 });
    const key = `hand-over:${randomUUID()}`;
    const first = await leases.acquire(key);
    const queued = [leases.acquire(key), leases.acquire(key), leases.acquire(key)];
    await timers.setTimeout(20);
    assert.deepEqual(calls, ['tryAcquire']);
    let holder = first;
    for (const next of queued) {
      assert.equal(await holder.renew(), true);
      const before = calls.length;
      await holder.release();
      holder = await next;
      assert.deepEqual(calls.slice(before), [], 'handed over in memory');
      assert.equal(await first.renew(), false, 'a request that gave the lease on cannot renew it');
    }
    assert.equal(await holder.renew(), true, 'the new holder renews the same backend lease');
    await holder.release();
    assert.deepEqual(
      calls.filter((c) => c !== 'renew'),
      ['tryAcquire', 'release'],
    );
    assert.equal(
      await lock.tryAcquire(key, 'other', 1_000),
      true,
      'the last release gave it back to the backend',
    );
  },
);

test('a request queued in this process gives up with a 503 at its deadline', async () => {
  const leases = new HandOverLeases(new MemoryLeaseLock(), { leaseMs: 10_000, waitMs: 100 });
  const holder = await leases.acquire('k');
  const started = Date.now();
  await assert.rejects(
    leases.acquire('k'),
    (error: unknown) => error instanceof ServiceUnavailable && error.code === 503,
  );
  const waited = Date.now() - started;
  assert.ok(waited >= 95 && waited < 2_000, `waited ${waited} ms`);
  await holder.release();
  const next = await leases.acquire('k');
  await next.release();
});

test('a holder that outlives its lease is taken over from, and can no longer renew', async () => {
  let now = 0;
  const leases = new HandOverLeases(new MemoryLeaseLock(() => now), {
    leaseMs: 50,
    waitMs: 5_000,
    now: () => now,
  });
  const stuck = await leases.acquire('k');
  const waiting = leases.acquire('k');
  now = 60;
  await timers.setTimeout(80);
  const next = await waiting;
  assert.equal(await stuck.renew(), false);
  await stuck.release(); // changes nothing
  assert.equal(await next.renew(), true);
  await next.release();
});

test(
  'after a run of hand-overs the lease goes back to the backend and another process gets its turn',
  { timeout: 30_000 },
  async (t) => {
    if (!(await requireBackend(t, 'redis'))) return;
    const here = counting(await redisLock(t));
    const elsewhere = await redisLock(t);
    const maxHandOvers = 3;
    const leases = new HandOverLeases(here.lock, {
      leaseMs: 10_000,
      waitMs: 10_000,
      maxHandOvers,
      yieldMs: 200,
    });
    const key = `hand-over:${randomUUID()}`;
    const order: string[] = [];
    const request = async (name: string): Promise<void> => {
      const lease = await leases.acquire(key);
      order.push(name);
      await timers.setTimeout(5);
      assert.equal(await lease.renew(), true);
      await lease.release();
    };
    const first = leases.acquire(key);
    const held = await first;
    const local = Array.from({ length: 10 }, (_, i) => request(`here ${i}`));
    await timers.setTimeout(20);
    const other = (async () => {
      const lease = await acquireLease(elsewhere, key, { leaseMs: 10_000, waitMs: 10_000 });
      order.push('elsewhere');
      await lease.release();
    })();
    await timers.setTimeout(20);
    await held.release();
    await Promise.all([...local, other]);
    const at = order.indexOf('elsewhere');
    assert.ok(
      at >= 0 && at <= maxHandOvers,
      `the other process got the lease after ${maxHandOvers} hand-overs at most: ${order.join(', ')}`,
    );
    assert.ok(
      here.calls.filter((c) => c === 'release').length >= 2,
      'the lease went back to the backend more than once',
    );
  },
);

test('a request handed the lease reads what its predecessor stored, only while the lease never left', async () => {
  const leases = new HandOverLeases(new MemoryLeaseLock(), { leaseMs: 10_000, waitMs: 1_000 });
  const first = await leases.acquire('k');
  const second = leases.acquire('k');
  leases.remember('k', Buffer.from('v1'), 60);
  await first.release();
  await second.then((lease) => lease.release()); // the last holder gives it back
  const third = await leases.acquire('k'); // taken from the backend again: a new backend lease
  assert.equal(leases.recall('k'), undefined);
  const fourth = leases.acquire('k');
  leases.remember('k', Buffer.from('v2'), 60);
  await third.release();
  const held = await fourth;
  assert.equal(leases.recall('k')?.toString(), 'v2');
  assert.equal(leases.recall('k'), undefined, 'once');
  await held.release();
});
