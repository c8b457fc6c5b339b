import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import type { FlaskSessionConfig } from '../../src/04-flask-session/config.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import { buildApp } from '../../src/04-flask-session/server.ts';
import { fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';
import { freePort } from '../support/spawn-step.ts';

/** Each backend's config pointing at 127.0.0.1:port. */
const backends: Record<string, (port: number) => Partial<FlaskSessionConfig>> = {
  redis: (port) => ({ SESSION_TYPE: 'redis', SESSION_REDIS: `redis://127.0.0.1:${port}/0` }),
  memcached: (port) => ({ SESSION_TYPE: 'memcached', SESSION_MEMCACHED: `127.0.0.1:${port}` }),
  postgres: (port) => ({
    SESSION_TYPE: 'sqlalchemy',
    SESSION_SQLALCHEMY: `postgres://postgres@127.0.0.1:${port}/test`,
  }),
  mysql: (port) => ({
    SESSION_TYPE: 'sqlalchemy',
    SESSION_SQLALCHEMY: `mysql://root@127.0.0.1:${port}/test`,
  }),
  mongodb: (port) => ({
    SESSION_TYPE: 'mongodb',
    SESSION_MONGODB: `mongodb://127.0.0.1:${port}/?directConnection=true`,
  }),
};

/** A server that accepts connections and never says a word: a hung backend. */
async function silentServer(t: TestContext): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as { port: number }).port;
}

async function expect503(
  t: TestContext,
  config: Partial<FlaskSessionConfig>,
  backend: string,
): Promise<void> {
  const extension = new FlaskSession();
  const app = buildApp({ ...config, SESSION_BACKEND_TIMEOUT_MS: 500 }, extension);
  const logs = captureLogs(app);
  t.after(() => extension.close());
  const { base } = await serve(app, t);
  for (const path of ['/test1/', '/counter']) {
    const response = await fetchRaw(base, path, { headers: { cookie: `session=${'s'.repeat(43)}` } });
    assert.equal(response.status, 503, `${path}: ${response.body}`);
    assert.equal(
      response.body,
      `The session store (${backend}) is not available right now. Please try again shortly.\n`,
    );
  }
  assert.match(logs.errors.join('\n'), /^503 /m);
}

for (const [name, config] of Object.entries(backends)) {
  const backend = name === 'postgres' || name === 'mysql' ? 'sqlalchemy' : name;
  test(`${name}: nothing listening gives a 503 naming the backend, on every request`, async (t) => {
    await expect503(t, config(await freePort()), backend);
  });
  test(`${name}: a server that accepts but never answers gives a 503 once the timeout passes`, async (t) => {
    await expect503(t, config(await silentServer(t)), backend);
  });
}
