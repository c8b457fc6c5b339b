import assert from 'node:assert/strict';
import * as timers from 'node:timers/promises';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { request, runInContext, session } from '../../src/01-raw-http/context.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { Request } from '../../src/01-raw-http/request.ts';
import { Session } from '../../src/01-raw-http/session.ts';
import { fetchRaw } from '../support/http.ts';
import { serve } from '../support/server.ts';

test('session and request used outside a request throw Flask\'s "Working outside of request context."', () => {
  assert.throws(() => session.get('a'), {
    name: 'RuntimeError',
    message: /^Working outside of request context\./,
  });
  assert.throws(() => request.path, {
    name: 'RuntimeError',
    message: /^Working outside of request context\./,
  });
});

test("the session proxy forwards to the current request's session and marks it accessed", () => {
  const real = new Session({ a: 1 });
  const req = new Request({ method: 'GET', url: '/', headers: {} });
  runInContext({ request: req, session: real }, () => {
    assert.equal(session.get('a'), 1);
    session.set('b', 2);
    assert.equal(request.path, '/');
  });
  assert.deepEqual({ ...real.toJSON() }, { a: 1, b: 2 });
  assert.equal(real.accessed, true);
  assert.equal(real.modified, true);
});

test('"in" on the proxy also counts as access, as in Flask 3.1.3', () => {
  const real = new Session();
  runInContext({ request: new Request({ method: 'GET', url: '/', headers: {} }), session: real }, () => {
    assert.equal('get' in session, true);
  });
  assert.equal(real.accessed, true);
});

test('100 interleaved async requests each read back only their own session', async (t) => {
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  app.get('/who', async (_, req) => {
    const me = req.query.get('me') ?? '';
    session.set('me', me);
    // Yield several times so the other requests run in between.
    for (let i = 0; i < 5; i++) await timers.setImmediate();
    return `${me}=${String(session.get('me'))},${request.query.get('me')}`;
  });
  const { base } = await serve(app, t);
  const names = Array.from({ length: 100 }, (_, i) => `user${i}`);
  const bodies = await Promise.all(names.map((me) => fetchRaw(base, `/who?me=${me}`).then((r) => r.body)));
  assert.deepEqual(
    bodies,
    names.map((me) => `${me}=${me},${me}`),
  );
});
