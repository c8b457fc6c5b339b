import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ServerSideSessionInterface } from '../../src/04-flask-session/server-side-interface.ts';
import { LockingFlaskSession } from '../../src/05-session-lock/extension.ts';
import { LockingSessionInterface } from '../../src/05-session-lock/locking-interface.ts';
import { buildApp } from '../../src/05-session-lock/server.ts';
import { backendUrls, requireBackend } from '../support/backends.ts';
import { CookieJar, fetchRaw } from '../support/http.ts';
import { startOwnRedis } from '../support/own-redis.ts';
import { captureLogs, serve } from '../support/server.ts';
import { requireService } from '../support/services.ts';
import { waitFor } from '../support/spawn-step.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'session-lab-05-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test("step 05's demo locks each session by default, and FLASK_SESSION_LOCK=false gives step 04's interface to compare", async (t) => {
  const dir = await tempDir(t);
  for (const [config, locked] of [
    [{}, true],
    [{ SESSION_LOCK: false }, false],
  ] as const) {
    const extension = new LockingFlaskSession();
    t.after(() => extension.close());
    const app = buildApp({ SESSION_FILE_DIR: dir, ...config }, extension);
    assert.equal(app.sessionInterface instanceof LockingSessionInterface, locked);
    assert.ok(app.sessionInterface instanceof ServerSideSessionInterface);
  }
});

test('SESSION_LOCK with a lease no longer than SESSION_BACKEND_TIMEOUT_MS is refused at start: a save must finish inside the lease it renewed', async (t) => {
  const config = {
    SESSION_TYPE: 'filesystem',
    SESSION_FILE_DIR: await tempDir(t),
    SESSION_LOCK_LEASE_MS: 2_000,
    SESSION_BACKEND_TIMEOUT_MS: 2_000,
  };
  assert.throws(
    () => buildApp(config, new LockingFlaskSession()),
    /^TypeError: SESSION_LOCK_LEASE_MS must be longer than SESSION_BACKEND_TIMEOUT_MS/,
  );
});

test(
  'a refused lock setting leaves no Redis connection open: the check comes before any backend connects, and the process exits by itself',
  { timeout: 60_000 },
  async (t) => {
    if (!(await requireBackend(t, 'redis'))) return;
    const code = [
      `import { Flask } from ${JSON.stringify(new URL('../../src/01-raw-http/app.ts', import.meta.url).href)};`,
      `import { LockingFlaskSession } from ${JSON.stringify(new URL('../../src/05-session-lock/extension.ts', import.meta.url).href)};`,
      `try { new LockingFlaskSession(new Flask({ SESSION_TYPE: 'redis', SESSION_REDIS: ${JSON.stringify(backendUrls.redis)}, SESSION_LOCK: true, SESSION_LOCK_WAIT_MS: '5s' })); }`,
      'catch (error) { console.log(error.message); }',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000); // the safety net: a leaked client keeps it alive
    t.after(() => clearTimeout(killer));
    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    assert.match(out, /^SESSION_LOCK_WAIT_MS must be /);
    assert.deepEqual([exitCode, signal], [0, null], 'it exited on its own');
  },
);

test(
  'with SESSION_LOCK on, a Redis that stops answering (SIGSTOP) gives a 503 instead of holding the request; the server stays up',
  { timeout: 120_000 },
  async (t) => {
    if (
      !(await requireService(
        t,
        'redis-server',
        'apt-get install redis-server',
        async () => spawnSync('redis-server', ['--version']).status === 0,
      ))
    )
      return;
    const redis = await startOwnRedis(await tempDir(t));
    t.after(async () => {
      redis.resume();
      await redis.kill();
    });
    const extension = new LockingFlaskSession();
    t.after(() => extension.close());
    const app = buildApp(
      {
        SESSION_TYPE: 'redis',
        SESSION_REDIS: redis.url,
        SESSION_KEY_PREFIX: `test:${randomUUID()}:`,
        SESSION_BACKEND_TIMEOUT_MS: 300,
        SESSION_LOCK_LEASE_MS: 1_000,
      },
      extension,
    );
    captureLogs(app);
    const { base } = await serve(app, t);
    const jar = new CookieJar();
    assert.equal((await jar.fetch(base, '/counter')).body, '1\n');
    assert.equal(
      (await jar.fetch(base, '/counter')).body,
      '2\n',
      'the second request takes the lock on the session',
    );

    redis.pause();
    const stopped = await jar.fetch(base, '/counter', { timeoutMs: 10_000 });
    assert.equal(stopped.status, 503);
    assert.match(stopped.body, /session store \(redis\) is not available/);
    assert.equal(
      (await fetchRaw(base, '/session', { timeoutMs: 10_000 })).status,
      200,
      'a new visitor needs neither lock nor store; the server is up',
    );

    redis.resume();
    await waitFor(
      'the session to answer 200 again',
      async () => (await jar.fetch(base, '/counter', { timeoutMs: 10_000 })).status === 200,
      60_000,
    );
  },
);
