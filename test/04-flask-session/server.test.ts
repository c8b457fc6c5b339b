import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { sessionCleanup } from '../../src/04-flask-session/cleanup-command.ts';
import type { FlaskSessionConfig } from '../../src/04-flask-session/config.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import { buildApp } from '../../src/04-flask-session/server.ts';
import { SqlStore } from '../../src/04-flask-session/stores/sql-store.ts';
import { CookieJar, fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';
import { TestClock } from '../support/store-contract.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'session-lab-04-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function demo(t: TestContext, config: Partial<FlaskSessionConfig> = {}) {
  const dir = await tempDir(t);
  const extension = new FlaskSession();
  const app = buildApp({ SESSION_FILE_DIR: join(dir, 'flask_session'), ...config }, extension, () => {});
  t.after(() => extension.close());
  const logs = captureLogs(app);
  return { ...(await serve(app, t)), dir, logs };
}

const form = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

test('without FLASK_SECRET_KEY, a demo that signs its sids (SESSION_USE_SIGNER) warns once and signs with a random key of its own', async (t) => {
  const dir = await tempDir(t);
  for (const config of [{ SESSION_USE_SIGNER: true }] satisfies Array<Partial<FlaskSessionConfig>>) {
    const extension = new FlaskSession();
    t.after(() => extension.close());
    const warnings: string[] = [];
    const app = buildApp({ SESSION_FILE_DIR: dir, ...config }, extension, (m) => warnings.push(m));
    assert.equal(warnings.length, 1, JSON.stringify(config));
    assert.match(
      warnings[0]!,
      /^\*\*\* WARNING: FLASK_SECRET_KEY is not set\. Using a random development key/,
    );
    assert.match(String(app.config.SECRET_KEY), /^[0-9a-f]{64}$/);
  }
});

test("the demo runs on the filesystem backend by default: POST /test reads the user the article's way", async (t) => {
  const { base, dir } = await demo(t);
  const jar = new CookieJar();
  assert.equal((await jar.fetch(base, '/test', { method: 'POST' })).body, 'user: None\n');
  assert.equal((await jar.fetch(base, '/login', form('name=alice'))).body, 'Logged in as alice.\n');
  assert.equal((await jar.fetch(base, '/test', { method: 'POST' })).body, 'user: alice\n');
  assert.equal((await readdir(join(dir, 'flask_session'))).length, 1, 'one file for one session');
});

test('login gives a new sid even to a visitor who already had a session', async (t) => {
  const { base } = await demo(t);
  const jar = new CookieJar();
  await jar.fetch(base, '/counter');
  const before = jar.cookies.get('session');
  await jar.fetch(base, '/login', form('name=alice'));
  assert.notEqual(jar.cookies.get('session'), before);
  assert.equal((await jar.fetch(base, '/session')).body, '{"_permanent":true,"count":1,"user":"alice"}\n');
});

test('logout deletes the session file and the cookie', async (t) => {
  const { base, dir } = await demo(t);
  const jar = new CookieJar();
  await jar.fetch(base, '/login', form('name=alice'));
  await jar.fetch(base, '/logout', { method: 'POST' });
  assert.equal(jar.cookies.size, 0);
  assert.deepEqual(await readdir(join(dir, 'flask_session')), []);
});

test('/regenerate keeps the data and changes the sid', async (t) => {
  const { base } = await demo(t);
  const jar = new CookieJar();
  await jar.fetch(base, '/test1/');
  const before = jar.cookies.get('session');
  assert.equal(
    (await jar.fetch(base, '/regenerate', { method: 'POST' })).body,
    'New session id, same data.\n',
  );
  assert.notEqual(jar.cookies.get('session'), before);
  assert.equal((await jar.fetch(base, '/session')).body, '{"_permanent":true,"name":"xiaoming"}\n');
});

test('SESSION_TYPE null stops the demo at start-up, as Flask-Session 0.8 refuses it, with no development key made for it', () => {
  const warnings: string[] = [];
  assert.throws(
    () => buildApp({ SESSION_TYPE: 'null' }, new FlaskSession(), (m) => warnings.push(m)),
    /^TypeError: SESSION_TYPE must be one of /,
  );
  assert.deepEqual(warnings, []);
});

test('npm run session-cleanup deletes expired SQL sessions and keeps live ones', async (t) => {
  const dir = await tempDir(t);
  const url = `sqlite:${join(dir, 'sessions.sqlite3')}`;
  const clock = new TestClock();
  clock.advance(-3600);
  const store = new SqlStore({ db: url, now: clock.now });
  await store.set('session:old', Buffer.from('x'), 60);
  await store.set('session:live', Buffer.from('y'), 86400);
  await store.close();
  const message = await sessionCleanup({ FLASK_SESSION_TYPE: 'sqlalchemy', FLASK_SESSION_SQLALCHEMY: url });
  assert.equal(message, 'Removed 1 expired session (SESSION_TYPE=sqlalchemy).');
  const after = new SqlStore({ db: url });
  t.after(() => after.close());
  assert.equal((await after.get('session:live'))?.toString(), 'y');
});

test("session-cleanup asks the store: nothing to do on a backend that expires sessions itself; a refused SESSION_TYPE is the server's config error", async () => {
  for (const type of ['redis', 'memcached']) {
    assert.equal(
      await sessionCleanup({ FLASK_SESSION_TYPE: type }),
      `SESSION_TYPE=${type} expires sessions by itself: nothing to clean up.`,
    );
  }
  await assert.rejects(
    sessionCleanup({ FLASK_SESSION_TYPE: 'null' }),
    /^TypeError: SESSION_TYPE must be one of /,
  );
});

test('the 503 page for a down backend does not leak the backend URL', async (t) => {
  const { base, logs } = await demo(t, {
    SESSION_TYPE: 'redis',
    SESSION_REDIS: 'redis://user:secret-password@127.0.0.1:1/0',
    SESSION_BACKEND_TIMEOUT_MS: 300,
  });
  const response = await fetchRaw(base, '/test1/');
  assert.equal(response.status, 503);
  assert.doesNotMatch(response.body, /secret-password|127\.0\.0\.1:1/);
  assert.doesNotMatch([...logs.warnings, ...logs.errors].join('\n'), /secret-password/);
});

test('with SESSION_CLEANUP_N_REQUESTS=0 requests leave expired SQL sessions to npm run session-cleanup, as Flask-Session does', async (t) => {
  const dir = await tempDir(t);
  const url = `sqlite:${join(dir, 'sessions.sqlite3')}`;
  const clock = new TestClock();
  clock.advance(-3600);
  const old = new SqlStore({ db: url, now: clock.now });
  await old.set('session:expired', Buffer.from('x'), 60);
  await old.close();
  const { base } = await demo(t, {
    SESSION_TYPE: 'sqlalchemy',
    SESSION_SQLALCHEMY: url,
    SESSION_CLEANUP_N_REQUESTS: 0,
  });
  await fetchRaw(base, '/test', { method: 'POST' });
  const check = new SqlStore({ db: url });
  t.after(() => check.close());
  const rows = await check.db.selectFrom(check.table).select('session_id').execute();
  assert.deepEqual(
    rows.map((r) => r.session_id),
    ['session:expired'],
  );
});
