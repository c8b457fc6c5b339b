import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { currentContext, session } from '../../src/01-raw-http/context.ts';
import { addStandardRoutes } from '../../src/01-raw-http/demo-routes.ts';
import { SidSigner } from '../../src/03-json-file/sid-signer.ts';
import { SessionBackendError } from '../../src/04-flask-session/backend-error.ts';
import type { FlaskSessionConfig } from '../../src/04-flask-session/config.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import { makeSerializer } from '../../src/04-flask-session/serializer.ts';
import {
  ServerSideSessionInterface,
  type ServerSideOptions,
} from '../../src/04-flask-session/server-side-interface.ts';
import type { ServerSideSession } from '../../src/04-flask-session/server-side-session.ts';
import { guardStore, type SessionStore } from '../../src/04-flask-session/store.ts';
import { MemoryStore } from '../../src/04-flask-session/stores/memory-store.ts';
import { cookieFrom, CookieJar, fetchRaw, type TestResponse } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

/** A memory store that records every call, so a test can see what reached the backend. */
class SpyStore extends MemoryStore {
  readonly calls: string[] = [];
  readonly ttls: number[] = [];
  override async get(storeId: string) {
    this.calls.push(`get ${storeId}`);
    return super.get(storeId);
  }
  override async set(storeId: string, value: Buffer, ttlSeconds: number) {
    this.calls.push(`set ${storeId}`);
    this.ttls.push(ttlSeconds);
    return super.set(storeId, value, ttlSeconds);
  }
  override async replace(storeId: string, value: Buffer, ttlSeconds: number) {
    this.calls.push(`replace ${storeId}`);
    this.ttls.push(ttlSeconds);
    return super.replace(storeId, value, ttlSeconds);
  }
  override async delete(storeId: string) {
    this.calls.push(`delete ${storeId}`);
    return super.delete(storeId);
  }
}

function makeApp(config: Partial<FlaskSessionConfig> = {}, options: Partial<ServerSideOptions> = {}) {
  const store = new SpyStore();
  const app = new Flask<FlaskSessionConfig>({ SECRET_KEY: 'test-secret', ...config } as FlaskSessionConfig);
  const iface = new ServerSideSessionInterface({ store, ...options });
  app.sessionInterface = iface;
  addStandardRoutes(app);
  app.get('/read', () => String(session.get('name') ?? 'none'));
  app.get('/permanent-only', () => {
    session.permanent = true;
    return 'ok';
  });
  app.get('/clear', () => {
    session.clear();
    return 'cleared';
  });
  app.get('/regenerate', async () => {
    await iface.regenerate(currentContext().session as ServerSideSession);
    return 'ok';
  });
  return { app, store, iface, logs: captureLogs(app) };
}

const sidOf = (response: TestResponse): string => cookieFrom(response)!.slice('session='.length);

test('a new sid is 32 random bytes as URL-safe base64 and the store key is session:<sid>', async (t) => {
  const { app, store } = makeApp();
  const { base } = await serve(app, t);
  const sid = sidOf(await fetchRaw(base, '/test1/'));
  assert.match(sid, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(await store.get(`session:${sid}`));
});

test('a request that never writes stores nothing and sets no cookie, only Vary', async (t) => {
  const { app, store } = makeApp();
  const { base } = await serve(app, t);
  const response = await fetchRaw(base, '/read');
  assert.deepEqual(response.setCookies, []);
  assert.equal(response.headers.vary, 'Cookie');
  assert.deepEqual(store.calls, []);
});

test('a session holding only _permanent counts as empty: nothing stored, the cookie deleted', async (t) => {
  const { app, store } = makeApp();
  const { base } = await serve(app, t);
  const response = await fetchRaw(base, '/permanent-only');
  assert.equal(store.calls.filter((c) => c.startsWith('set')).length, 0);
  assert.match(response.setCookies[0] ?? '', /^session=; Expires=Thu, 01 Jan 1970/);
});

test('an unknown sid from the visitor is replaced by a fresh one: no session fixation', async (t) => {
  const { app, store } = makeApp();
  const { base } = await serve(app, t);
  const planted = 'attacker-chosen-sid-0123456789';
  const sid = sidOf(await fetchRaw(base, '/test1/', { headers: { cookie: `session=${planted}` } }));
  assert.notEqual(sid, planted);
  assert.equal(await store.get(`session:${planted}`), null);
});

test('a sid that is not URL-safe base64 never reaches the store', async (t) => {
  const { app, store } = makeApp();
  const { base } = await serve(app, t);
  await fetchRaw(base, '/read', { headers: { cookie: 'session=../../etc/passwd%00' } });
  await fetchRaw(base, '/read', { headers: { cookie: 'session=short' } });
  assert.deepEqual(store.calls, []);
});

test('the server-side lifetime is PERMANENT_SESSION_LIFETIME, for browser-session cookies too', async (t) => {
  const { app, store } = makeApp({ PERMANENT_SESSION_LIFETIME: 3600 }, { permanent: false });
  const { base } = await serve(app, t);
  const response = await fetchRaw(base, '/test1/');
  assert.deepEqual(store.ttls, [3600]);
  assert.doesNotMatch(response.setCookies[0] ?? '', /Expires/);
});

test('refresh matrix: an untouched request slides the store TTL; only a permanent session gets the cookie again', async (t) => {
  for (const [permanent, refresh, stores, cookie] of [
    [true, true, true, true],
    [false, true, true, false],
    [true, false, false, false],
    [false, false, false, false],
  ] as const) {
    const { app, store } = makeApp({ SESSION_REFRESH_EACH_REQUEST: refresh }, { permanent });
    const { base, close } = await serve(app);
    const jar = new CookieJar();
    await jar.fetch(base, '/test1/');
    store.calls.length = 0;
    const response = await jar.fetch(base, '/read');
    const what = `permanent=${permanent} refresh=${refresh}`;
    assert.equal(
      store.calls.some((c) => /^(set|replace) /.test(c)),
      stores,
      `${what}: stored`,
    );
    assert.equal(response.setCookies.length > 0, cookie, `${what}: cookie`);
    await close();
  }
  t.diagnostic('four combinations checked');
});

test('clear() deletes the stored session and the cookie, with the same attributes the cookie was set with', async (t) => {
  const { app, store } = makeApp({ SESSION_COOKIE_SECURE: true, SESSION_COOKIE_SAMESITE: 'Lax' });
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  const sid = sidOf(await jar.fetch(base, '/test1/'));
  const response = await jar.fetch(base, '/clear');
  assert.equal(
    response.setCookies[0],
    'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; Path=/; SameSite=Lax',
  );
  assert.equal(await store.get(`session:${sid}`), null);
});

test('regenerate keeps the data under a new sid and deletes the old entry', async (t) => {
  const { app, store } = makeApp();
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  const before = sidOf(await jar.fetch(base, '/test1/'));
  const after = sidOf(await jar.fetch(base, '/regenerate'));
  assert.notEqual(after, before);
  assert.equal(await store.get(`session:${before}`), null);
  assert.equal((await jar.fetch(base, '/read')).body, 'xiaoming');
});

test('a signed sid is sid.HMAC-SHA1 under key HMAC-SHA1(secret, "flask-session"); a bad signature starts afresh', async (t) => {
  const signed = makeApp(
    { SECRET_KEY: 'test-secret' },
    { signer: new SidSigner(new Flask({ SECRET_KEY: 'test-secret' })) },
  );
  const { base } = await serve(signed.app, t);
  const cookie = sidOf(await fetchRaw(base, '/test1/'));
  const [sid, signature] = cookie.split('.') as [string, string];
  const key = createHmac('sha1', 'test-secret').update('flask-session').digest();
  assert.equal(signature, createHmac('sha1', key).update(sid).digest('base64url'));
  assert.ok(await signed.store.get(`session:${sid}`), 'the store key is the unsigned sid');
  const forged = sidOf(
    await fetchRaw(base, '/test1/', { headers: { cookie: `session=${sid}.${'A'.repeat(27)}` } }),
  );
  assert.notEqual(forged.split('.')[0], sid);
});

test('stored bytes that no format can read start a new session with a warning, not a 500', async (t) => {
  const { app, store, logs } = makeApp();
  const { base } = await serve(app, t);
  const sid = 'x'.repeat(43);
  await store.set(`session:${sid}`, Buffer.from('80049510000000000000007d94', 'hex'), 60);
  const response = await fetchRaw(base, '/read', { headers: { cookie: `session=${sid}` } });
  assert.equal(response.status, 200);
  assert.equal(response.body, 'none');
  assert.match(logs.warnings.join('\n'), /could not be decoded/);
});

test('SESSION_SERIALIZATION_FORMAT json stores compact UTF-8 JSON', async (t) => {
  const { app, store } = makeApp({}, { serializer: makeSerializer('json') });
  const { base } = await serve(app, t);
  const sid = sidOf(await fetchRaw(base, '/test1/'));
  assert.equal(
    (await store.get(`session:${sid}`))?.toString('utf8'),
    '{"_permanent":true,"name":"xiaoming"}',
  );
});

test('SESSION_CLEANUP_N_REQUESTS runs the cleanup on about one request in N+1', async (t) => {
  const { app, store } = makeApp({}, { cleanupNRequests: 3, random: () => 0 });
  let cleanups = 0;
  store.cleanup = async () => ++cleanups;
  const { base } = await serve(app, t);
  await fetchRaw(base, '/read');
  const never = makeApp({}, { cleanupNRequests: 3, random: () => 0.5 });
  never.store.cleanup = async () => assert.fail('0.5 × 4 = 2 is not 0: no cleanup');
  const other = await serve(never.app, t);
  await fetchRaw(other.base, '/read');
  assert.equal(cleanups, 1);
});

test('SESSION_CLEANUP_N_REQUESTS=0 runs no cleanup on requests, as Flask-Session treats a falsy value as not set', async (t) => {
  const { app, store } = makeApp({}, { cleanupNRequests: 0, random: () => 0 });
  let cleanups = 0;
  store.cleanup = async () => ++cleanups;
  const { base } = await serve(app, t);
  for (let i = 0; i < 5; i++) assert.equal((await fetchRaw(base, '/read')).status, 200);
  assert.equal(cleanups, 0);
});

test('a session over SESSION_MAX_BYTES gets a 413 naming the limit, and the store is not written: the stored session stays as it was', async (t) => {
  const { app, store, logs } = makeApp({}, { maxBytes: 200 });
  app.get('/grow', () => {
    session.set('notes', 'n'.repeat(300));
    return 'grown';
  });
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  await jar.fetch(base, '/counter');
  const writes = store.calls.filter((call) => call.startsWith('set')).length;
  const refused = await jar.fetch(base, '/grow');
  assert.equal(refused.status, 413);
  assert.match(
    refused.body,
    /^The session is too large to store: \d+ bytes, more than SESSION_MAX_BYTES \(200 bytes\)\./,
  );
  assert.equal(store.calls.filter((call) => call.startsWith('set')).length, writes, 'nothing was written');
  assert.equal((await jar.fetch(base, '/counter')).body, '2\n', 'the stored session is the one from before');
  assert.deepEqual(logs.errors, []);
});

test('a backend that fails answers 503 with a clear message, and the next request works again', async (t) => {
  const broken = new MemoryStore();
  let down = true;
  const original = broken.get.bind(broken);
  broken.get = async (id) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : original(id));
  const app = new Flask<FlaskSessionConfig>({} as FlaskSessionConfig);
  app.sessionInterface = new ServerSideSessionInterface({ store: guardStore(broken, 1000) });
  addStandardRoutes(app);
  const logs = captureLogs(app);
  const { base } = await serve(app, t);
  const failed = await fetchRaw(base, '/counter', { headers: { cookie: `session=${'y'.repeat(43)}` } });
  assert.equal(failed.status, 503);
  assert.match(failed.body, /The session store \(memory\) is not available right now/);
  assert.match(logs.errors.join('\n'), /503/);
  down = false;
  assert.equal((await fetchRaw(base, '/counter')).status, 200);
});

test('a backend that never answers gives a 503 once the timeout passes', async (t) => {
  const hanging: SessionStore = {
    backend: 'hanging',
    get: () => new Promise(() => {}),
    set: () => new Promise(() => {}),
    replace: () => new Promise(() => {}),
    delete: () => new Promise(() => {}),
    close: async () => {},
  };
  const app = new Flask<FlaskSessionConfig>({} as FlaskSessionConfig);
  app.sessionInterface = new ServerSideSessionInterface({ store: guardStore(hanging, 100) });
  addStandardRoutes(app);
  captureLogs(app);
  const { base } = await serve(app, t);
  const response = await fetchRaw(base, '/counter', { headers: { cookie: `session=${'z'.repeat(43)}` } });
  assert.equal(response.status, 503);
  assert.ok(response.body.includes('(hanging)'));
});

test('guardStore turns any client error into a SessionBackendError that keeps the cause', async () => {
  const cause = new Error('boom');
  const store = guardStore(
    {
      ...new MemoryStore(),
      backend: 'x',
      get: () => Promise.reject(cause),
      set: async () => {},
      replace: async () => true,
      delete: async () => {},
      close: async () => {},
    },
    1000,
  );
  await assert.rejects(
    store.get('k'),
    (error: unknown) =>
      error instanceof SessionBackendError && error.cause === cause && error.backend === 'x',
  );
});

test('initApp fails at start on an unknown SESSION_TYPE, naming the valid values', () => {
  const app = new Flask<FlaskSessionConfig>({ SESSION_TYPE: 'casandra' } as FlaskSessionConfig);
  assert.throws(
    () => new FlaskSession(app),
    /^TypeError: SESSION_TYPE must be one of redis, memcached, filesystem, mongodb, sqlalchemy: /,
  );
});

test('SESSION_USE_SIGNER without a SECRET_KEY fails at start, and an empty key, text or bytes, is none', () => {
  for (const SECRET_KEY of [null, '', Buffer.alloc(0)]) {
    const app = new Flask<FlaskSessionConfig>({
      SESSION_TYPE: 'filesystem',
      SESSION_USE_SIGNER: true,
      SECRET_KEY,
    } as FlaskSessionConfig);
    assert.throws(() => new FlaskSession(app), /SECRET_KEY must be set when SESSION_USE_SIGNER=True/);
  }
});

test("SESSION_TYPE unset is Flask-Session 0.8's default 'null', and start-up refuses it as 0.8 does, in any case", () => {
  const configs = [{}, { SESSION_TYPE: 'null' }, { SESSION_TYPE: 'NULL' }, { SESSION_TYPE: null }];
  for (const config of configs) {
    const app = new Flask<FlaskSessionConfig>({ SECRET_KEY: 'k', ...config } as FlaskSessionConfig);
    assert.throws(
      () => new FlaskSession(app),
      /^TypeError: SESSION_TYPE must be one of redis, .*no cookie type/,
      JSON.stringify(config),
    );
    assert.ok(
      !(app.sessionInterface instanceof ServerSideSessionInterface),
      'the app keeps no half-built interface',
    );
  }
});
