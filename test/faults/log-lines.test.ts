import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { request } from '../../src/01-raw-http/context.ts';
import { LogThrottle } from '../../src/01-raw-http/log-throttle.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import { buildApp } from '../../src/04-flask-session/server.ts';
import { fetchRaw } from '../support/http.ts';
import { serve } from '../support/server.ts';
import { waitFor } from '../support/spawn-step.ts';

/** Every call the app makes to its logger, with the error object it passed, if any. */
function recordLogs(app: Flask): Array<{ level: 'warn' | 'error'; message: string; error: unknown }> {
  const calls: Array<{ level: 'warn' | 'error'; message: string; error: unknown }> = [];
  app.logger = {
    warn: (message) => calls.push({ level: 'warn', message, error: undefined }),
    error: (message, error) => calls.push({ level: 'error', message, error }),
  };
  return calls;
}

test('clients that abort in the middle of a body are never a 500 and log nothing', async (t) => {
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  app.post('/upload', () => `${request.body.length} bytes\n`);
  const calls = recordLogs(app);
  const { base, server } = await serve(app, t);
  const port = (server.address() as { port: number }).port;
  for (let i = 0; i < 20; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000\r\n\r\n${'x'.repeat(100)}`,
    );
    await waitFor('the server to reserve the upload', async () => app.bodyBudget.usedBytes > 0, 60_000);
    socket.destroy();
    await waitFor('the server to see the abort', async () => app.bodyBudget.usedBytes === 0, 60_000);
  }
  assert.equal(
    (await fetchRaw(base, '/upload', { method: 'POST', body: 'abc' })).body,
    '3 bytes\n',
    'the server keeps serving',
  );
  assert.deepEqual(calls, []);
});

test('a failing backend logs one line naming it and the error, no stack; repeats are counted into one line per interval', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'session-lab-logs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // A file where the session folder should be: every read and write of the filesystem store fails.
  await writeFile(join(dir, 'not-a-folder'), '');
  const extension = new FlaskSession();
  t.after(() => extension.close());
  const app = buildApp(
    { SESSION_TYPE: 'filesystem', SESSION_FILE_DIR: join(dir, 'not-a-folder') },
    extension,
  );
  const calls = recordLogs(app);
  let now = 1_700_000_000_000;
  app.logThrottle = new LogThrottle({ intervalMs: 60_000, now: () => now });
  const { base } = await serve(app, t);
  for (let i = 0; i < 10; i++) assert.equal((await fetchRaw(base, '/counter')).status, 503);
  assert.equal(calls.length, 1, JSON.stringify(calls.map((c) => c.message)));
  const [first] = calls;
  assert.equal(first!.level, 'error');
  assert.match(
    first!.message,
    /^503 The session store \(filesystem\) is not available right now\. .*\(SessionBackendError: filesystem: set failed: Error: EEXIST/,
  );
  assert.doesNotMatch(first!.message, /\n/);
  assert.equal(first!.error, undefined, 'no error object, so no stack, is handed to the logger');

  now += 60_000;
  assert.equal((await fetchRaw(base, '/counter')).status, 503);
  assert.equal(calls.length, 2);
  assert.match(calls[1]!.message, /\(and 9 more like it since the last one logged\)$/);
});

test('a logged line never shows the password of a URL in it', () => {
  const app = new Flask();
  const calls = recordLogs(app);
  app.logFailure(
    '503 backend down (Error: connect to redis://:hunter2@db.internal:6379/0 and mysql://root:hunter2@db:3306/x failed)',
  );
  assert.equal(calls.length, 1);
  assert.doesNotMatch(calls[0]!.message, /hunter2/);
  assert.match(calls[0]!.message, /redis:\/\/\*\*\*@db\.internal:6379\/0 and mysql:\/\/\*\*\*@db:3306/);
});
