import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { test } from 'node:test';
import memjs from 'memjs';
import { createClient } from 'redis';
import { Flask } from '../../src/01-raw-http/app.ts';
import { session } from '../../src/01-raw-http/context.ts';
import { SessionTooLarge } from '../../src/03-json-file/session-size.ts';
import { ServerSideSessionInterface } from '../../src/04-flask-session/server-side-interface.ts';
import { guardStore } from '../../src/04-flask-session/store.ts';
import { MemcachedStore, memcachedExptime } from '../../src/04-flask-session/stores/memcached-store.ts';
import { RedisStore } from '../../src/04-flask-session/stores/redis-store.ts';
import { backendUrls, requireBackend } from '../support/backends.ts';
import { CookieJar } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';
import { storeContract, TestClock } from '../support/store-contract.ts';

storeContract({
  name: 'redis',
  expiry: 'server',
  cleanup: false,
  available: (t) => requireBackend(t, 'redis'),
  open: () => new RedisStore({ client: backendUrls.redis }),
  ttlOf: async (storeId) => {
    const probe = await createClient({ url: backendUrls.redis }).connect();
    try {
      return await probe.ttl(storeId);
    } finally {
      probe.destroy();
    }
  },
});

storeContract({
  name: 'memcached',
  expiry: 'server',
  cleanup: false,
  available: (t) => requireBackend(t, 'memcached'),
  open: (clock) => new MemcachedStore({ client: backendUrls.memcached, now: clock.now }),
  ttlOf: memcachedTtl,
});

/** The seconds memcached says an item has left: its meta command `mg <key> t` (memcached 1.6+), which memjs does not send. */
function memcachedTtl(storeId: string): Promise<number> {
  const [host = '127.0.0.1', port = '11211'] = backendUrls.memcached.split(',')[0]!.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    let reply = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('memcached did not answer mg')));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (!reply.endsWith('\r\n')) return;
      socket.end();
      const ttl = / t(-?\d+)/.exec(reply)?.[1];
      if (ttl === undefined) reject(new Error(`memcached answered ${JSON.stringify(reply)}`));
      else resolve(Number(ttl));
    });
    socket.write(`mg ${storeId} t\r\n`);
  });
}

const thirtyOneDays = 31 * 24 * 60 * 60;

test('redis stores with SET … EX: the key carries the lifetime as its TTL', async (t) => {
  if (!(await requireBackend(t, 'redis'))) return;
  const store = new RedisStore({ client: backendUrls.redis });
  const probe = await createClient({ url: backendUrls.redis }).connect();
  t.after(async () => {
    await store.close();
    probe.destroy();
  });
  const key = `test:${randomUUID()}`;
  await store.set(key, Buffer.from('v'), 3600);
  const ttl = await probe.ttl(key);
  assert.ok(ttl > 3590 && ttl <= 3600, `TTL ${ttl} is the lifetime`);
  await store.delete(key);
});

test('memcached gets lifetimes over 30 days as an absolute Unix time', () => {
  const now = Date.UTC(2026, 0, 1);
  assert.equal(memcachedExptime(3600, now), 3600);
  assert.equal(memcachedExptime(30 * 24 * 60 * 60, now), 30 * 24 * 60 * 60);
  assert.equal(memcachedExptime(thirtyOneDays, now), now / 1000 + thirtyOneDays);
});

test("a session with Flask's default 31-day lifetime survives in a real memcached", async (t) => {
  if (!(await requireBackend(t, 'memcached'))) return;
  const store = new MemcachedStore({ client: backendUrls.memcached });
  t.after(() => store.close());
  const key = `test:${randomUUID()}`;
  await store.set(key, Buffer.from('kept'), thirtyOneDays);
  assert.equal((await store.get(key))?.toString(), 'kept');
  await store.delete(key);
});

test('memcached would drop that session at once if 2678400 were sent as seconds', async (t) => {
  if (!(await requireBackend(t, 'memcached'))) return;
  const client = memjs.Client.create(backendUrls.memcached, { logger: { log: () => {} } });
  t.after(() => client.close());
  const key = `test:${randomUUID()}`;
  await client.set(key, Buffer.from('lost'), { expires: thirtyOneDays }); // read as "1 Feb 1970"
  assert.equal((await client.get(key)).value, null);
});

test('a memcached session whose absolute expiry has passed is gone', async (t) => {
  if (!(await requireBackend(t, 'memcached'))) return;
  const clock = new TestClock();
  clock.advance(-40 * 24 * 60 * 60); // written "40 days ago" with a 31-day lifetime
  const store = new MemcachedStore({ client: backendUrls.memcached, now: clock.now });
  t.after(() => store.close());
  const key = `test:${randomUUID()}`;
  await store.set(key, Buffer.from('old'), thirtyOneDays);
  assert.equal(await store.get(key), null);
});

test("memcached's own refusal of a value over its item size is the session's 413, not a backend that is down", async (t) => {
  if (!(await requireBackend(t, 'memcached'))) return;
  // Told the items may be 8 MiB, the store sends 2 MiB; the server (-I 1m) refuses it itself.
  const store = new MemcachedStore({ client: backendUrls.memcached, maxItemBytes: 8 * 1024 * 1024 });
  t.after(() => store.close());
  await assert.rejects(
    store.set(`test:${randomUUID()}`, Buffer.alloc(2 * 1024 * 1024, 1), 60),
    SessionTooLarge,
  );
  const app = new Flask({ SECRET_KEY: 'k' });
  app.sessionInterface = new ServerSideSessionInterface({
    store: guardStore(store, 10_000),
    maxBytes: 8 * 1024 * 1024,
    keyPrefix: `test:${randomUUID()}:`,
  });
  app.get('/big', () => {
    session.set('big', 'b'.repeat(2 * 1024 * 1024));
    return 'stored';
  });
  const logs = captureLogs(app);
  const { base } = await serve(app, t);
  const refused = await new CookieJar().fetch(base, '/big', { timeoutMs: 60_000 });
  assert.equal(refused.status, 413);
  assert.match(
    refused.body,
    /^The session is too large to store: \d+ bytes, more than the item size this memcached server takes\./,
  );
  assert.deepEqual(logs.errors, []);
});

test('a session over the item size memcached was told is refused before it is sent', async (t) => {
  if (!(await requireBackend(t, 'memcached'))) return;
  const store = new MemcachedStore({ client: backendUrls.memcached });
  t.after(() => store.close());
  await assert.rejects(
    guardStore(store, 10_000).set(`test:${randomUUID()}`, Buffer.alloc(1024 * 1024, 1), 60),
    SessionTooLarge,
  );
});
