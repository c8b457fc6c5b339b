import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { buildApp } from '../../src/04-flask-session/server.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import { tcpAnswers } from '../support/probes.ts';
import { CookieJar } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';
import { requireService } from '../support/services.ts';
import { freePort, waitFor } from '../support/spawn-step.ts';

function requireRedisServer(t: TestContext): Promise<boolean> {
  return requireService(
    t,
    'redis-server',
    'apt-get install redis-server',
    async () => spawnSync('redis-server', ['--version']).status === 0,
  );
}

/** A private, throw-away redis-server on `port`: no snapshots, no append-only file. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitFor(`redis-server on port ${port}`, () => tcpAnswers(port));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function appOn(url: string, t: TestContext, config: Record<string, unknown> = {}) {
  const extension = new FlaskSession();
  const app = buildApp(
    {
      SESSION_TYPE: 'redis',
      SESSION_REDIS: url,
      SESSION_KEY_PREFIX: `test:${randomUUID()}:`,
      SESSION_BACKEND_TIMEOUT_MS: 1000,
      ...config,
    },
    extension,
  );
  const logs = captureLogs(app);
  const server = await serve(app, t);
  t.after(() => extension.close());
  return { base: server.base, logs };
}

test('Redis going down gives 503s with a clear message; the server stays up and recovers when Redis is back', async (t) => {
  if (!(await requireRedisServer(t))) return;
  const port = await freePort();
  let redis = await startRedis(port);
  t.after(() => stop(redis));
  const { base, logs } = await appOn(`redis://127.0.0.1:${port}/0`, t);
  const jar = new CookieJar();
  assert.equal((await jar.fetch(base, '/counter')).body, '1\n');

  await stop(redis);
  const down = await jar.fetch(base, '/counter');
  assert.equal(down.status, 503);
  assert.equal(
    down.body,
    'The session store (redis) is not available right now. Please try again shortly.\n',
  );
  assert.equal((await jar.fetch(base, '/test1/')).status, 503, 'still answering, still 503');
  assert.match(logs.warnings.join('\n'), /session backend redis is unavailable/);

  redis = await startRedis(port);
  await waitFor(
    'the app to answer 200 again',
    async () => (await jar.fetch(base, '/counter')).status === 200,
  );
  // The restarted Redis kept nothing (no persistence), so the counter starts again.
  assert.equal((await jar.fetch(base, '/counter')).body, '2\n');
  assert.match(logs.warnings.join('\n'), /session backend redis is back/);
});

test('a Redis that accepts connections but never answers gives a 503 within the timeout', async (t) => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket)); // accepts, reads, never writes
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  const port = (silent.address() as { port: number }).port;
  const { base } = await appOn(`redis://127.0.0.1:${port}/0`, t);
  const jar = new CookieJar();
  const response = await jar.fetch(base, '/counter', { timeoutMs: 10_000 });
  assert.equal(response.status, 503);
  assert.match(response.body, /session store \(redis\)/);
  assert.equal(
    (await jar.fetch(base, '/counter', { timeoutMs: 10_000 })).status,
    503,
    'the server is still up',
  );
});
