import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { ServiceUnavailable } from '../../src/01-raw-http/http-errors.ts';
import { SessionBackendError } from '../../src/04-flask-session/backend-error.ts';
import { createRedisClient } from '../../src/04-flask-session/stores/redis-store.ts';
import { connectSql } from '../../src/04-flask-session/stores/sql-connect.ts';
import { RedisLeaseLock } from '../../src/05-session-lock/redis-lock.ts';
import {
  acquireLease,
  guardLock,
  type LeaseLock,
  MemoryLeaseLock,
} from '../../src/05-session-lock/session-lock.ts';
import { SqlLeaseLock } from '../../src/05-session-lock/sql-lock.ts';
import { backendUrls, requireBackend } from '../support/backends.ts';

async function leaseRules(lock: LeaseLock, key: string): Promise<void> {
  assert.equal(await lock.tryAcquire(key, 'first', 60_000), true);
  assert.equal(await lock.tryAcquire(key, 'second', 60_000), false, 'a held lease is not handed out twice');
  await lock.release(key, 'second');
  assert.equal(await lock.tryAcquire(key, 'second', 60_000), false, 'only the holder can release it');
  assert.equal(await lock.renew(key, 'first', 60_000), true, 'the holder renews its lease');
  assert.equal(await lock.renew(key, 'second', 60_000), false, 'nobody else can');
  await lock.release(key, 'first');
  assert.equal(await lock.renew(key, 'first', 60_000), false, 'a lease given back is not renewed');
  assert.equal(await lock.tryAcquire(key, 'second', 60_000), true, 'released by its holder, it is free');
  await lock.release(key, 'second');
}

test('an in-process lease is held by one token at a time and released only by its holder', async () => {
  await leaseRules(new MemoryLeaseLock(), 'session:a');
});

test('a lease whose holder never releases it runs out after its lease time', async () => {
  let now = 1_000;
  const lock = new MemoryLeaseLock(() => now);
  assert.equal(await lock.tryAcquire('k', 'crashed', 5_000), true);
  now += 4_999;
  assert.equal(await lock.tryAcquire('k', 'next', 5_000), false);
  now += 1;
  assert.equal(await lock.renew('k', 'crashed', 5_000), false, 'a lease that ran out is lost, not renewed');
  assert.equal(await lock.tryAcquire('k', 'next', 5_000), true);
});

test('a request that cannot get its session lock within the wait gets a 503, not a hang', async () => {
  const lock = new MemoryLeaseLock();
  await lock.tryAcquire('k', 'holder', 60_000);
  await assert.rejects(
    acquireLease(lock, 'k', { leaseMs: 1_000, waitMs: 20 }),
    (error: unknown) => error instanceof ServiceUnavailable && error.code === 503,
  );
});

// Left to its timers, the waiter would ask again only when the lease runs out (30 s); the test
// allows 20 s, so it passes only if the release itself wakes the waiter.
test(
  'a waiting request gets the lock as soon as the holder releases it, not when the lease runs out',
  { timeout: 20_000 },
  async () => {
    const memory = new MemoryLeaseLock();
    let nowWaiting!: () => void;
    const waiterIsWaiting = new Promise<void>((resolve) => (nowWaiting = resolve));
    const lock: LeaseLock = {
      tryAcquire: (key, token, leaseMs) => memory.tryAcquire(key, token, leaseMs),
      renew: (key, token, leaseMs) => memory.renew(key, token, leaseMs),
      release: (key, token) => memory.release(key, token),
      waitForRelease: (key, maxMs) => {
        nowWaiting();
        return memory.waitForRelease(key, maxMs);
      },
      close: () => memory.close(),
    };
    const holder = await acquireLease(lock, 'k', { leaseMs: 30_000, waitMs: 1_000 });
    const waiter = acquireLease(lock, 'k', { leaseMs: 30_000, waitMs: 60_000 });
    await waiterIsWaiting; // it found the lease held, and waits while the holder still has it
    await holder.release();
    await (await waiter).release();
  },
);

test('a lock whose backend never answers (a stopped server, a SQL lock wait) fails with a SessionBackendError, not a hang', async () => {
  const never = new Promise<never>(() => {});
  const hung: LeaseLock = {
    tryAcquire: () => never,
    renew: () => never,
    release: () => never,
    waitForRelease: async () => {},
    close: async () => {},
  };
  const lock = guardLock(hung, 'sqlalchemy', 20);
  await assert.rejects(
    acquireLease(lock, 'k', { leaseMs: 1_000, waitMs: 1_000 }),
    (error: unknown) => error instanceof SessionBackendError && error.backend === 'sqlalchemy',
  );
  await assert.rejects(lock.release('k', 'token'), SessionBackendError);
});

test("a lock client's own error (a dropped connection) reaches the interface as a SessionBackendError naming the backend", async () => {
  const fail = async (): Promise<never> => {
    throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  };
  const broken: LeaseLock = {
    tryAcquire: fail,
    renew: fail,
    release: fail,
    waitForRelease: async () => {},
    close: async () => {},
  };
  const lock = guardLock(broken, 'redis', 1_000);
  await assert.rejects(
    acquireLease(lock, 'k', { leaseMs: 1_000, waitMs: 1_000 }),
    (error: unknown) =>
      error instanceof SessionBackendError && error.backend === 'redis' && /ECONNRESET/.test(error.message),
  );
  await assert.rejects(lock.renew('k', 'token', 1_000), SessionBackendError);
});

test('the Redis lease (SET NX PX, released by a token check) follows the same rules', async (t) => {
  if (!(await requireBackend(t, 'redis'))) return;
  const client = createRedisClient(backendUrls.redis, 1_000);
  await client.connect();
  const lock = new RedisLeaseLock({ client, owned: true });
  t.after(() => lock.close());
  const key = `lock-test:${randomUUID()}`;
  await leaseRules(lock, key);
  assert.equal(await lock.tryAcquire(key, 'short', 1), true);
  // PX 1: Redis drops the key itself; a fresh token gets it once it has.
  const deadline = Date.now() + 2_000;
  while (!(await lock.tryAcquire(key, 'after-expiry', 60_000)))
    assert.ok(Date.now() < deadline, 'the lease ran out');
  assert.equal(
    await lock.renew(key, 'short', 60_000),
    false,
    'the request that outlived its lease cannot renew it',
  );
  await lock.release(key, 'after-expiry');
});

for (const [dialect, backend] of [
  ['postgres', 'postgres'],
  ['mysql', 'mysql'],
] as const) {
  test(`the ${dialect} lease (a row, renewed by an UPDATE that checks token and expiry) follows the same rules`, async (t) => {
    if (!(await requireBackend(t, backend))) return;
    const db = connectSql(backendUrls[backend]);
    const table = `lock_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    t.after(async () => {
      await db.schema.dropTable(`${table}_locks`).ifExists().execute();
      await db.destroy();
    });
    let now = Date.now();
    const lock = new SqlLeaseLock({ db, owned: false }, table, dialect, () => now);
    await leaseRules(lock, 'session:a');
    assert.equal(await lock.tryAcquire('session:b', 'slow', 1_000), true);
    now += 1_000;
    assert.equal(
      await lock.tryAcquire('session:b', 'next', 1_000),
      true,
      'the lease ran out and another request took it',
    );
    assert.equal(
      await lock.renew('session:b', 'slow', 1_000),
      false,
      'the request that outlived its lease cannot renew it',
    );
  });
}
