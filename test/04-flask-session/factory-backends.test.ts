import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { createClient } from 'redis';
import type { FlaskSessionConfig } from '../../src/04-flask-session/config.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import { buildApp } from '../../src/04-flask-session/server.ts';
import { connectSql } from '../../src/04-flask-session/stores/sql-connect.ts';
import { backendUrls, requireBackend, requireMongo } from '../support/backends.ts';
import { CookieJar } from '../support/http.ts';
import { serve } from '../support/server.ts';

const root = await mkdtemp(join(tmpdir(), 'session-lab-factory-'));
const table = `sessions_${randomBytes(6).toString('hex')}`;
const sqlUrls = [`sqlite:${join(root, 'factory.sqlite3')}`, backendUrls.postgres, backendUrls.mysql];
after(async () => {
  for (const url of sqlUrls) {
    const db = connectSql(url);
    await db.schema
      .dropTable(table)
      .ifExists()
      .execute()
      .catch(() => {});
    await db.destroy();
  }
  await rm(root, { recursive: true, force: true });
});

const cases: Array<{
  name: string;
  config: Partial<FlaskSessionConfig>;
  available: (t: TestContext) => Promise<boolean> | boolean;
}> = [
  {
    name: 'redis',
    config: { SESSION_TYPE: 'redis', SESSION_REDIS: backendUrls.redis },
    available: (t) => requireBackend(t, 'redis'),
  },
  {
    name: 'memcached',
    config: { SESSION_TYPE: 'memcached', SESSION_MEMCACHED: backendUrls.memcached },
    available: (t) => requireBackend(t, 'memcached'),
  },
  {
    name: 'filesystem',
    config: { SESSION_TYPE: 'filesystem', SESSION_FILE_DIR: join(root, 'files') },
    available: () => true,
  },
  {
    name: 'sqlalchemy on SQLite',
    config: { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: sqlUrls[0]!, SESSION_SQLALCHEMY_TABLE: table },
    available: () => true,
  },
  {
    name: 'sqlalchemy on PostgreSQL',
    config: { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: sqlUrls[1]!, SESSION_SQLALCHEMY_TABLE: table },
    available: (t) => requireBackend(t, 'postgres'),
  },
  {
    name: 'sqlalchemy on MariaDB',
    config: { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: sqlUrls[2]!, SESSION_SQLALCHEMY_TABLE: table },
    available: (t) => requireBackend(t, 'mysql'),
  },
  {
    name: 'mongodb',
    config: {
      SESSION_TYPE: 'mongodb',
      SESSION_MONGODB: backendUrls.mongodb ?? '',
      SESSION_MONGODB_DB: 'flask_session_test',
    },
    available: (t) => Boolean(requireMongo(t)),
  },
];

for (const { name, config, available } of cases) {
  test(`SESSION_TYPE ${name}: log in, read the user back, log out, through initApp`, async (t) => {
    if (!(await available(t))) return;
    const extension = new FlaskSession();
    const app = buildApp({ ...config, SESSION_KEY_PREFIX: `test:${randomUUID()}:` }, extension);
    t.after(() => extension.close());
    const { base } = await serve(app, t);
    const jar = new CookieJar();
    await jar.fetch(base, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=alice',
    });
    assert.equal((await jar.fetch(base, '/test', { method: 'POST' })).body, 'user: alice\n');
    assert.equal((await jar.fetch(base, '/counter')).body, '1\n');
    await jar.fetch(base, '/logout', { method: 'POST' });
    assert.equal((await jar.fetch(base, '/test', { method: 'POST' })).body, 'user: None\n');
  });
}

test('SESSION_REDIS may be a client the app made; closing the extension leaves it open', async (t) => {
  if (!(await requireBackend(t, 'redis'))) return;
  const client = await createClient({ url: backendUrls.redis }).connect();
  t.after(() => client.destroy());
  const extension = new FlaskSession();
  const app = buildApp(
    { SESSION_TYPE: 'redis', SESSION_REDIS: client, SESSION_KEY_PREFIX: `test:${randomUUID()}:` },
    extension,
  );
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  assert.equal((await jar.fetch(base, '/counter')).body, '1\n');
  assert.equal((await jar.fetch(base, '/counter')).body, '2\n');
  await extension.close();
  assert.equal(await client.ping(), 'PONG');
});

test('SESSION_SQLALCHEMY may be a Kysely instance the app already has', async (t) => {
  const db = connectSql(sqlUrls[0]!);
  t.after(() => db.destroy());
  const extension = new FlaskSession();
  const app = buildApp(
    { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: db, SESSION_SQLALCHEMY_TABLE: table },
    extension,
  );
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  await jar.fetch(base, '/test1/');
  await extension.close();
  const rows = await db.selectFrom(table).select('session_id').execute();
  assert.ok(
    rows.some((row) => row.session_id === `session:${jar.cookies.get('session')}`),
    'the row is in the app’s own database',
  );
});

test(
  'initApp refusing SESSION_USE_SIGNER without a SECRET_KEY leaves no Redis connection open: the process exits by itself',
  { timeout: 30_000 },
  async (t) => {
    if (!(await requireBackend(t, 'redis'))) return;
    const code = [
      `import { Flask } from ${JSON.stringify(new URL('../../src/01-raw-http/app.ts', import.meta.url).href)};`,
      `import { FlaskSession } from ${JSON.stringify(new URL('../../src/04-flask-session/extension.ts', import.meta.url).href)};`,
      `try { new FlaskSession(new Flask({ SESSION_TYPE: 'redis', SESSION_REDIS: ${JSON.stringify(backendUrls.redis)}, SESSION_USE_SIGNER: true })); }`,
      'catch (error) { console.log(error.message); }',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000); // the safety net: a leaked client keeps it alive
    t.after(() => clearTimeout(killer));
    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    assert.match(out, /SECRET_KEY/);
    assert.deepEqual([exitCode, signal], [0, null], 'it exited on its own');
  },
);
