import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import type { FlaskConfig } from '../../src/01-raw-http/config.ts';
import { request } from '../../src/01-raw-http/context.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { createAppServer } from '../../src/01-raw-http/serve.ts';
import { fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';
import { waitFor } from '../support/spawn-step.ts';

const KiB = 1024;

function uploadApp(config: Partial<FlaskConfig>): Flask {
  const app = new Flask(config);
  app.sessionInterface = new PlainCookieSessionInterface();
  app.get('/test1/', () => 'OK');
  app.post('/upload', () => `${request.body.length} bytes\n`);
  return app;
}

/** A client that sends the start of an upload and then stalls; the socket is destroyed when the test ends. */
function stalledUpload(
  t: TestContext,
  port: number,
  head: string,
  body: string,
): Socket & { received: string } {
  const socket = Object.assign(connect(port, '127.0.0.1'), { received: '' });
  socket.on('data', (chunk: Buffer) => (socket.received += chunk.toString('latin1')));
  socket.on('error', () => {});
  socket.write(
    `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n${head}\r\n${body}`,
  );
  t.after(() => socket.destroy());
  return socket;
}

const upload = (base: string, bytes: number) =>
  fetchRaw(base, '/upload', {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(bytes, 1),
  });

test('stalled uploads fill MAX_BUFFERED_CONTENT_LENGTH: a further upload gets a 503 with Retry-After, a GET still works, and uploads work again once they go away', async (t) => {
  const app = uploadApp({ MAX_CONTENT_LENGTH: 64 * KiB, MAX_BUFFERED_CONTENT_LENGTH: 256 * KiB });
  captureLogs(app);
  const { base, server } = await serve(app, t);
  const port = (server.address() as { port: number }).port;
  // Three declare 64 KiB and send 1 000 bytes; a chunked one sends 40 KiB: 232 KiB held by clients that stopped.
  const stalled = [1, 2, 3].map(() =>
    stalledUpload(t, port, `Content-Length: ${64 * KiB}\r\n`, 'x'.repeat(1000)),
  );
  stalled.push(
    stalledUpload(
      t,
      port,
      'Transfer-Encoding: chunked\r\n',
      `${(40 * KiB).toString(16)}\r\n${'x'.repeat(40 * KiB)}\r\n`,
    ),
  );
  await waitFor(
    'the stalled uploads to be reserved',
    async () => app.bodyBudget.usedBytes === 3 * 64 * KiB + 40 * KiB,
    60_000,
  );

  const refused = await upload(base, 32 * KiB);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers['retry-after'], '5');
  assert.equal(refused.headers.connection, 'close');
  assert.match(refused.body, /holding as many request bodies as it can/);
  assert.equal((await fetchRaw(base, '/test1/')).status, 200, 'a request without a body is still served');
  assert.equal((await upload(base, 16 * KiB)).status, 200, 'an upload that fits in what is left is served');

  for (const socket of stalled) socket.destroy();
  await waitFor(
    'the stalled uploads to give their bytes back',
    async () => app.bodyBudget.usedBytes === 0,
    60_000,
  );
  const accepted = await upload(base, 32 * KiB);
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body, `${32 * KiB} bytes\n`);
});

test('an upload slower than REQUEST_TIMEOUT_MS gets a 408 and gives its reserved bytes back', async (t) => {
  const app = uploadApp({ REQUEST_TIMEOUT_MS: 300 });
  captureLogs(app);
  const { server } = await serve(app, t);
  const socket = stalledUpload(
    t,
    (server.address() as { port: number }).port,
    `Content-Length: ${64 * KiB}\r\n`,
    'x'.repeat(1000),
  );
  await waitFor('the upload to be reserved', async () => app.bodyBudget.usedBytes === 64 * KiB, 60_000);
  let closed = false;
  socket.once('close', () => (closed = true));
  await waitFor('the server to close the stalled upload', async () => closed, 60_000);
  assert.match(socket.received, /^HTTP\/1\.1 408 /);
  await waitFor('the bytes to be given back', async () => app.bodyBudget.usedBytes === 0, 60_000);
});

test("by default a request must arrive within 30 s, headers and body, not Node's 300 s", () => {
  const server = createAppServer(uploadApp({}));
  assert.equal(server.requestTimeout, 30_000);
  assert.ok(server.headersTimeout <= server.requestTimeout);
});
