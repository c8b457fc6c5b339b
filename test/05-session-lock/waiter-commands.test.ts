/**
 * A request waiting for its session's lock must not poll the backend: it waits to be woken by
 * the release. Each test counts the commands (or queries) the waiters send while one lease is
 * held by another lock (another server process, as far as the waiters can tell), then released.
 * Polling every 2 ms, ten waiters sent about 15,000 Redis commands in 5 s.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as timers from 'node:timers/promises';
import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { createRedisClient } from '../../src/04-flask-session/stores/redis-store.ts';
import type { SessionDb } from '../../src/04-flask-session/stores/sql-connect.ts';
import { RedisLeaseLock } from '../../src/05-session-lock/redis-lock.ts';
import { acquireLease, type LeaseLock } from '../../src/05-session-lock/session-lock.ts';
import { SqlLeaseLock } from '../../src/05-session-lock/sql-lock.ts';
import { backendUrls, requireBackend } from '../support/backends.ts';

const waiters = 10;
const heldMs = 1_500;

/**
 * `holder` takes the lease, `waiters` requests of `waiting` wait for it for `heldMs`, then the
 * holder releases it and they take it one after another. Returns what `sent()` counted meanwhile.
 */
async function waitersCost(holder: LeaseLock, waiting: LeaseLock, sent: () => number): Promise<number> {
  const key = `waiter-test:${randomUUID()}`;
  assert.equal(await holder.tryAcquire(key, 'holder', 60_000), true);
  const before = sent();
  const started = Date.now();
  const done = Array.from({ length: waiters }, async () => {
    const lease = await acquireLease(waiting, key, { leaseMs: 60_000, waitMs: 20_000 });
    await lease.release();
    return Date.now() - started;
  });
  await timers.setTimeout(heldMs);
  await holder.release(key, 'holder');
  const times = await Promise.all(done);
  assert.ok(
    times.every((ms) => ms >= heldMs - 50),
    'nobody got the lease while it was held',
  );
  assert.ok(
    Math.max(...times) < heldMs + 5_000,
    'the waiters were woken by the releases, not by a lease running out',
  );
  return sent() - before;
}

// Each waiter: one failed try and one look at the lease, one re-check a second, its try after its
// wake-up, its release. Polling would be thousands.
const allowed = waiters * (2 + 2 * Math.ceil(heldMs / 1_000) + 2) + 2 * waiters;

test(
  'ten requests waiting for a Redis lease held elsewhere send a few commands each, not one every few ms',
  { timeout: 30_000 },
  async (t) => {
    if (!(await requireBackend(t, 'redis'))) return;
    const holderClient = createRedisClient(backendUrls.redis, 1_000);
    const client = createRedisClient(backendUrls.redis, 1_000);
    await Promise.all([holderClient.connect(), client.connect()]);
    let commands = 0;
    const send = client.sendCommand.bind(client);
    client.sendCommand = ((...args: Parameters<typeof send>) => (commands++, send(...args))) as typeof send;
    const holder = new RedisLeaseLock({ client: holderClient, owned: true });
    const waiting = new RedisLeaseLock({ client, owned: true });
    t.after(async () => {
      await holder.close();
      await waiting.close();
    });
    const sent = await waitersCost(holder, waiting, () => commands);
    t.diagnostic(`${sent} Redis commands from ${waiters} waiters over ${heldMs} ms`);
    assert.ok(sent <= allowed, `${sent} commands: the waiters poll (at most ${allowed} expected)`);
  },
);

test(
  'ten requests waiting for a PostgreSQL lease held elsewhere send a few queries each (LISTEN/NOTIFY)',
  { timeout: 30_000 },
  async (t) => {
    if (!(await requireBackend(t, 'postgres'))) return;
    let queries = 0;
    const db = (count: boolean): SessionDb =>
      new Kysely({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: backendUrls.postgres, max: 10 }),
        }),
        log: () => void (count && queries++),
      });
    const table = `waiter_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const holder = new SqlLeaseLock(
      { db: db(false), owned: true, url: backendUrls.postgres },
      table,
      'postgres',
    );
    const waiting = new SqlLeaseLock(
      { db: db(true), owned: true, url: backendUrls.postgres },
      table,
      'postgres',
    );
    t.after(async () => {
      const cleanup = db(false);
      await cleanup.schema.dropTable(`${table}_locks`).ifExists().execute();
      await cleanup.destroy();
      await holder.close();
      await waiting.close();
    });
    // Each try is a DELETE of an expired row and an INSERT: twice the Redis count.
    const sent = await waitersCost(holder, waiting, () => queries);
    t.diagnostic(`${sent} PostgreSQL queries from ${waiters} waiters over ${heldMs} ms`);
    assert.ok(sent <= 2 * allowed, `${sent} queries: the waiters poll (at most ${2 * allowed} expected)`);
  },
);

test(
  'requests waiting for a MariaDB lease held in this process send no query until it is released',
  { timeout: 30_000 },
  async (t) => {
    if (!(await requireBackend(t, 'mysql'))) return;
    let queries = 0;
    const db: SessionDb = new Kysely({
      dialect: new MysqlDialect({ pool: createPool({ uri: backendUrls.mysql, connectionLimit: 10 }) }),
      log: () => void queries++,
    });
    const table = `waiter_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const lock = new SqlLeaseLock({ db, owned: true }, table, 'mysql');
    t.after(async () => {
      await db.schema.dropTable(`${table}_locks`).ifExists().execute();
      await lock.close();
    });
    const sent = await waitersCost(lock, lock, () => queries);
    t.diagnostic(`${sent} MariaDB queries from ${waiters} waiters over ${heldMs} ms`);
    // A failed try (DELETE, INSERT) each, then a try and a release each after the wake-ups.
    assert.ok(sent <= 6 * waiters + 2, `${sent} queries: the waiters poll`);
  },
);
