import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { currentContext, request, session } from '../../src/01-raw-http/context.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { Response } from '../../src/01-raw-http/response.ts';
import { fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

function demoApp(): Flask {
  const app = new Flask({ MAX_CONTENT_LENGTH: 1024 });
  app.sessionInterface = new PlainCookieSessionInterface();
  app.get('/test1/', () => 'OK');
  app.get('/items/<id>', (params) => ({ id: params.id }));
  app.post('/echo', () => ({ json: request.json }));
  app.post('/form', () => ({ name: request.form.get('name') }));
  app.get('/boom', () => {
    throw new Error('handler bug');
  });
  app.get('/two-cookies', () => {
    const response = new Response('two');
    response.setCookie('a', '1');
    response.setCookie('b', '2');
    return response;
  });
  return app;
}

test('/test1/ is canonical: /test1 redirects there with 308, keeping the query', async (t) => {
  const { base } = await serve(demoApp(), t);
  const response = await fetchRaw(base, '/test1?x=1');
  assert.equal(response.status, 308);
  assert.equal(response.headers.location, '/test1/?x=1');
  assert.equal((await fetchRaw(base, '/test1/')).body, 'OK');
});

test('the trailing-slash redirect comes only when no rule matches as sent, and its Location is percent-encoded, as in Werkzeug', async (t) => {
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  app.get('/a/', () => 'a slash');
  app.get('/a', () => 'a noslash');
  app.get('/f/<name>/', (params) => params.name!);
  app.post('/x', () => 'x');
  app.get('/x/', () => 'x slash');
  const { base } = await serve(app, t);
  // What Flask 2.2's test client gives for each (its Location is absolute: http://localhost/…).
  const cases: [string, string, number, string | undefined][] = [
    ['GET', '/a', 200, undefined],
    ['GET', '/f/%5Cevil.example', 308, '/f/%5Cevil.example/'],
    ['GET', '/f/%E4%B8%AD', 308, '/f/%E4%B8%AD/'],
    ['GET', '/f/a%3Fb', 308, '/f/a%3Fb/'],
    ['OPTIONS', '/f/x', 308, '/f/x/'],
    ['GET', '/x', 308, '/x/'],
    ['POST', '/x', 200, undefined],
    ['PUT', '/x', 405, undefined],
  ];
  for (const [method, path, status, location] of cases) {
    const response = await fetchRaw(base, path, { method });
    assert.deepEqual([response.status, response.headers.location], [status, location], `${method} ${path}`);
  }
});

test('an unknown path is 404, a known path with the wrong method is 405 with Allow', async (t) => {
  const { base } = await serve(demoApp(), t);
  assert.equal((await fetchRaw(base, '/nope')).status, 404);
  const wrong = await fetchRaw(base, '/test1/', { method: 'DELETE' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.allow, 'GET, HEAD, OPTIONS');
});

test('HEAD answers like GET without a body, and OPTIONS lists the allowed methods', async (t) => {
  const { base } = await serve(demoApp(), t);
  const head = await fetchRaw(base, '/test1/', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], '2');
  assert.equal(head.body, '');
  const options = await fetchRaw(base, '/test1/', { method: 'OPTIONS' });
  assert.equal(options.headers.allow, 'GET, HEAD, OPTIONS');
});

test('route placeholders capture one path segment', async (t) => {
  const { base } = await serve(demoApp(), t);
  assert.deepEqual(JSON.parse((await fetchRaw(base, '/items/42')).body), { id: '42' });
  assert.equal((await fetchRaw(base, '/items/4/2')).status, 404);
});

test('a JSON body is parsed, and malformed JSON is a 400, not a 500', async (t) => {
  const { base } = await serve(demoApp(), t);
  const ok = await fetchRaw(base, '/echo', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a":[1,2]}',
  });
  assert.deepEqual(JSON.parse(ok.body), { json: { a: [1, 2] } });
  const bad = await fetchRaw(base, '/echo', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a":',
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /Failed to decode JSON object/);
  const wrongType = await fetchRaw(base, '/echo', {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{}',
  });
  assert.equal(wrongType.status, 400);
});

test('a JSON body with __proto__ and constructor keys pollutes no prototype', async (t) => {
  const { base } = await serve(demoApp(), t);
  const body = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}';
  const response = await fetchRaw(base, '/echo', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  assert.equal(response.status, 200);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(JSON.parse(response.body).json), ['__proto__', 'constructor']);
});

test('a form body is parsed, and a non-UTF-8 form body is a 400', async (t) => {
  const { base } = await serve(demoApp(), t);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  assert.deepEqual(
    JSON.parse(
      (await fetchRaw(base, '/form', { method: 'POST', headers: form, body: 'name=%E5%B0%8F%E6%98%8E' }))
        .body,
    ),
    { name: '小明' },
  );
  const bad = await fetchRaw(base, '/form', {
    method: 'POST',
    headers: form,
    body: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff]),
  });
  assert.equal(bad.status, 400);
});

test('a body over MAX_CONTENT_LENGTH is a 413, declared or chunked', async (t) => {
  const { base } = await serve(demoApp(), t);
  const declared = await fetchRaw(base, '/echo', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: 'x'.repeat(2048),
  });
  assert.equal(declared.status, 413);
  const chunked = await fetchRaw(base, '/echo', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    body: 'x'.repeat(2048),
  });
  assert.equal(chunked.status, 413);
});

test('a handler that throws is a 500, is logged, and the server keeps serving', async (t) => {
  const app = demoApp();
  const logs = captureLogs(app);
  const { base } = await serve(app, t);
  const response = await fetchRaw(base, '/boom');
  assert.equal(response.status, 500);
  assert.doesNotMatch(response.body, /handler bug/, 'the error detail stays in the log, not in the response');
  assert.match(logs.errors.join('\n'), /500/);
  assert.equal((await fetchRaw(base, '/test1/')).body, 'OK');
});

test('a request Node cannot parse gets a 400 and the server keeps serving', async (t) => {
  const { base, server } = await serve(demoApp(), t);
  const port = (server.address() as { port: number }).port;
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
    );
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request/);
  assert.equal((await fetchRaw(base, '/test1/')).status, 200);
});

test('one response can carry several Set-Cookie headers', async (t) => {
  const { base } = await serve(demoApp(), t);
  assert.deepEqual((await fetchRaw(base, '/two-cookies')).setCookies, ['a=1; Path=/', 'b=2; Path=/']);
});

test('openSession runs before the handler and saveSession after it, even after an after_request change', async (t) => {
  const order: string[] = [];
  const app = new Flask();
  app.sessionInterface = {
    openSession: () => (
      order.push('open'),
      new (class extends PlainCookieSessionInterface {})().openSession(app, request)
    ),
    saveSession: (_, s) => void order.push(`save:${String(s.get('late'))}`),
    makeNullSession: () => {
      throw new Error('unused');
    },
    isNullSession: () => false,
  };
  app.get('/', () => (order.push('handler'), 'x'));
  app.afterRequest((response) => {
    session.set('late', 'yes');
    order.push('after');
    return response;
  });
  const { base } = await serve(app, t);
  await fetchRaw(base, '/');
  assert.deepEqual(order, ['open', 'handler', 'after', 'save:yes']);
});

test('before-request functions run in order after openSession; the first that answers is sent, and the view never runs', async (t) => {
  const order: string[] = [];
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  app.beforeRequest(() => void order.push(`first:${session.size}`));
  app.beforeRequest(
    (req) => (
      order.push('second'),
      req.path === '/closed' ? new Response('closed\n', { status: 403 }) : undefined
    ),
  );
  app.beforeRequest(() => void order.push('third'));
  app.get('/open', () => (order.push('view'), 'open'));
  app.get('/closed', () => (order.push('view'), 'should not be seen'));
  const { base } = await serve(app, t);
  assert.equal((await fetchRaw(base, '/open')).body, 'open');
  assert.deepEqual(order.splice(0), ['first:0', 'second', 'third', 'view']);
  const closed = await fetchRaw(base, '/closed');
  assert.deepEqual([closed.status, closed.body], [403, 'closed\n']);
  assert.deepEqual(order, ['first:0', 'second']);
});

test('signal receivers hear each phase of a request in order, inside its context, with the answer of the phase', async (t) => {
  const app = demoApp();
  app.afterRequest((response) => {
    if (response.status === 418) throw new Error('an after-request function with a bug');
  });
  app.get('/teapot', () => new Response('short and stout', { status: 418 }));
  captureLogs(app);
  const heard: string[] = [];
  app.onSignal((signal, response, failed) => {
    const { path } = currentContext().request;
    heard.push(
      `${path} ${signal}${response ? ` ${response.status}` : ''}${failed ? ` ${failed.status}` : ''}`,
    );
  });
  app.sessionInterface = new PlainCookieSessionInterface();
  const { base } = await serve(app, t);
  await fetchRaw(base, '/test1/');
  await fetchRaw(base, '/boom');
  await fetchRaw(base, '/teapot');
  assert.deepEqual(heard, [
    '/test1/ request-started',
    '/test1/ session-opened',
    '/test1/ saving-session 200',
    '/test1/ session-saved 200',
    '/boom request-started',
    '/boom session-opened',
    '/boom request-failed 500',
    '/boom saving-session 500',
    '/boom session-saved 500',
    '/teapot request-started',
    '/teapot session-opened',
    '/teapot save-failed 418 500',
  ]);
});

test('addVary adds a field once, in any case, after the fields already there, and keeps their text', () => {
  const response = new Response('');
  response.addVary('Cookie');
  response.addVary('cookie');
  assert.equal(response.getHeader('Vary'), 'Cookie');
  response.setHeader('Vary', 'Accept-Encoding ,  Origin');
  response.addVary('Cookie');
  response.addVary('ORIGIN');
  assert.equal(response.getHeader('Vary'), 'Accept-Encoding, Origin, Cookie');
});
