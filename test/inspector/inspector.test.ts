import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { currentContext, noteSession, session, type TraceNote } from '../../src/01-raw-http/context.ts';
import { addCartRoute } from '../../src/01-raw-http/demo-routes.ts';
import { addInspector, tamperAction, type TraceView } from '../../src/inspector/inspector.ts';
import { ServiceUnavailable } from '../../src/01-raw-http/http-errors.ts';
import { escapeHtml } from '../../src/inspector/inspector-page.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { Session } from '../../src/01-raw-http/session.ts';
import type { Request } from '../../src/01-raw-http/request.ts';
import * as step01 from '../../src/01-raw-http/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { CookieJar, cookieFrom, fetchRaw, type TestResponse } from '../support/http.ts';
import { demoApps } from '../support/demo-apps.ts';
import { captureLogs, serve } from '../support/server.ts';

const asked = { 'session-trace': '1' };

/** Step 01's demo with its page, as `npm run step -- 01` serves it. */
const stepOneWithPage = () => mountInspector('01-raw-http', step01.buildApp());
const form = { 'content-type': 'application/x-www-form-urlencoded' };

function traceOf(response: TestResponse): TraceView {
  const header = response.headers['session-trace'];
  assert.equal(typeof header, 'string', 'the response carries a Session-Trace header');
  return JSON.parse(decodeURIComponent(header as string)) as TraceView;
}

const texts = (notes: TraceNote[], phase: TraceNote['phase']): string[] =>
  notes.filter((n) => n.phase === phase).map((n) => n.text);

/** A session interface that notes what it does, as a server-side store would. */
class NotingInterface extends PlainCookieSessionInterface {
  notesBuilt = 0;
  override openSession(app: Flask, request: Request) {
    noteSession('open', () => {
      this.notesBuilt++;
      return 'looked up session:abc';
    });
    return super.openSession(app, request);
  }
}

test('the trace records what each phase decided: cookie received, keys opened, flags, Set-Cookie and Vary', async (t) => {
  const { base } = await serve(stepOneWithPage(), t);
  const jar = new CookieJar();
  const first = traceOf(await jar.fetch(base, '/counter', { headers: asked }));
  assert.deepEqual(texts(first.notes, 'open'), [
    'no "session" cookie in the request',
    'opened an empty session',
  ]);
  assert.deepEqual(texts(first.notes, 'handler'), [
    'GET /counter: the view returned 200',
    'session.modified = true, session.accessed = true',
  ]);
  assert.match(texts(first.notes, 'save')[0]!, /^cookie "session" set \(\d+ characters\)$/);
  assert.equal(texts(first.notes, 'save')[1], 'Vary: Cookie');
  assert.equal(first.cookie, null);
  assert.match(first.setCookie[0]!, /^session=eyJjb3VudCI6MX0; HttpOnly; Path=\/; SameSite=Lax$/);

  const second = traceOf(await jar.fetch(base, '/session', { headers: asked }));
  assert.equal(second.cookie, 'session=eyJjb3VudCI6MX0');
  assert.deepEqual(texts(second.notes, 'open'), [
    '"session" cookie received (15 characters)',
    'opened a session with keys: count',
  ]);
  assert.deepEqual(texts(second.notes, 'save'), [
    'no Set-Cookie for "session": the browser keeps what it has',
    'Vary: Cookie',
  ]);
});

test('a session interface can add its own notes to the trace, built only when a trace is recorded', async (t) => {
  const app = new Flask();
  const iface = new NotingInterface();
  app.sessionInterface = iface;
  app.post('/clear', () => {
    session.clear();
    return 'cleared';
  });
  addInspector(app, { title: 'test', actions: [] });
  const { base } = await serve(app, t);
  const trace = traceOf(
    await fetchRaw(base, '/clear', { method: 'POST', headers: { ...asked, cookie: 'session=eyJhIjoxfQ' } }),
  );
  assert.deepEqual(texts(trace.notes, 'open'), [
    '"session" cookie received (10 characters)',
    'looked up session:abc',
    'opened a session with keys: a',
  ]);
  assert.deepEqual(texts(trace.notes, 'save'), ['cookie "session" deleted (Max-Age=0)', 'Vary: Cookie']);
  assert.equal(iface.notesBuilt, 1);
  await fetchRaw(base, '/clear', { method: 'POST', headers: { cookie: 'session=eyJhIjoxfQ' } });
  assert.equal(iface.notesBuilt, 1, 'a request that records no trace never builds the note');
  noteSession('open', () => assert.fail('outside a request, the note is not built'));
});

/** Step 01's demo with a session interface that fails to open or to save while `down` says so. */
function flakyApp(down: { open: boolean; save: boolean }): Flask {
  const app = stepOneWithPage();
  captureLogs(app);
  const plain = new PlainCookieSessionInterface();
  app.sessionInterface = {
    openSession: (a, request) => {
      if (down.open) throw new ServiceUnavailable('The session store (test) is not available right now.');
      return plain.openSession(a, request);
    },
    saveSession: (a, s, response) => {
      if (down.save) throw new ServiceUnavailable('The session store (test) could not be written.');
      plain.saveSession(a, s, response);
    },
    makeNullSession: () => plain.makeNullSession(),
    isNullSession: () => plain.isNullSession(),
  };
  return app;
}

test('when the session cannot be opened, the trace says so, and that the view did not run and nothing was saved', async (t) => {
  const { base } = await serve(flakyApp({ open: true, save: false }), t);
  const trace = traceOf(await fetchRaw(base, '/counter', { headers: asked }));
  assert.equal(trace.status, 503);
  assert.equal(
    texts(trace.notes, 'open').at(-1),
    'the session could not be opened: 503 The session store (test) is not available right now.',
  );
  assert.deepEqual(texts(trace.notes, 'handler'), ['the view did not run: there is no session to give it']);
  assert.equal(texts(trace.notes, 'save')[0], 'nothing saved: no session was opened');
});

test('when the save fails, the trace says what the view returned, why the save failed and what the browser got instead', async (t) => {
  const { base } = await serve(flakyApp({ open: false, save: true }), t);
  const trace = traceOf(await fetchRaw(base, '/counter', { headers: asked }));
  assert.equal(trace.status, 503);
  assert.deepEqual(texts(trace.notes, 'handler'), [
    'GET /counter: the view returned 200',
    'session.modified = true, session.accessed = true',
  ]);
  assert.deepEqual(texts(trace.notes, 'save'), [
    'the save failed: 503 The session store (test) could not be written.',
    'the browser gets this 503, not the 200, and none of its headers',
  ]);
});

test('a request refused before or by routing says so in the handler phase, not that a view returned', async (t) => {
  const { base } = await serve(stepOneWithPage(), t);
  const missing = traceOf(await fetchRaw(base, '/nowhere', { headers: asked }));
  assert.equal(
    texts(missing.notes, 'handler')[0],
    'GET /nowhere ended in 404 The requested URL was not found on the server.',
  );
  const forged = traceOf(
    await fetchRaw(base, '/login', {
      method: 'POST',
      headers: { ...asked, ...form, 'sec-fetch-site': 'cross-site' },
      body: 'name=mallory',
    }),
  );
  assert.equal(
    texts(forged.notes, 'handler')[0],
    'POST /login ended in 403 Cross-origin POST refused: Sec-Fetch-Site is cross-site.',
  );
  assert.ok(!texts(forged.notes, 'handler').some((note) => note.includes('the view returned')));
});

test("without the page asking, no Session-Trace header is sent, so curl sees the app's own headers", async (t) => {
  const { base } = await serve(stepOneWithPage(), t);
  const response = await fetchRaw(base, '/counter');
  assert.equal(response.headers['session-trace'], undefined);
});

test('request-finished receivers run after the session is saved, inside the request context', async (t) => {
  const app = stepOneWithPage();
  const seen: string[] = [];
  app.onRequestFinished((response) =>
    seen.push(`${currentContext().request.path} ${response.getHeaders('Set-Cookie').length}`),
  );
  const { base } = await serve(app, t);
  await fetchRaw(base, '/counter');
  assert.deepEqual(seen, ['/counter 1']);
});

test('GET / is the inspector page, locked down by a Content-Security-Policy that allows only its own script and style', async (t) => {
  const { base } = await serve(stepOneWithPage(), t);
  const page = await fetchRaw(base, '/');
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'] as string, /^text\/html/);
  assert.equal(page.headers['cache-control'], 'no-store');
  const csp = page.headers['content-security-policy'] as string;
  assert.match(csp, /default-src 'none'/);
  const script = /<script>([\s\S]*?)<\/script>/.exec(page.body)![1]!;
  const hash = createHash('sha256').update(script).digest('base64');
  assert.ok(csp.includes(`script-src 'sha256-${hash}'`));
  assert.doesNotMatch(script, /innerHTML|insertAdjacentHTML|document\.write/);
});

test('the page escapes what the server puts into it', async (t) => {
  assert.equal(
    escapeHtml(`<img src=x onerror="alert('x')">&`),
    '&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62;&#38;',
  );
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  addInspector(app, { title: '</script><b>', actions: [{ ...tamperAction, help: '</script>' }] });
  const { base } = await serve(app, t);
  const body = (await fetchRaw(base, '/')).body;
  assert.equal(body.match(/<\/script>/g)?.length, 2, "only the page's own two script elements end");
  assert.doesNotMatch(body, /<b>/);
});

test("GET /inspect shows the session as the server sees it, the Cookie header, and the step's panels", async (t) => {
  const { base } = await serve(stepOneWithPage(), t);
  const response = await fetchRaw(base, '/inspect', {
    headers: { cookie: 'user=bob; session=eyJjb3VudCI6Mn0' },
  });
  const view = JSON.parse(response.body);
  assert.deepEqual(view.session, { count: 2 });
  assert.equal(view.cookieHeader, 'user=bob; session=eyJjb3VudCI6Mn0');
  assert.equal(view.settings.HttpOnly, true);
  assert.equal(view.panels[0].rows[0][1], 'bob');
  assert.equal(view.panels[0].rows[2][1], '{"count":2}');
  assert.equal(response.headers.vary, 'Cookie');
});

test('POST /tamper sends back a broken copy of the session cookie, after the save, and the next request sees an empty session', async (t) => {
  const app = stepOneWithPage();
  // Every response now saves a changed session, so the save itself sends a Set-Cookie.
  app.afterRequest(() => void currentContext().session?.set('seen', true));
  const logs = captureLogs(app);
  const { base } = await serve(app, t);
  assert.equal((await fetchRaw(base, '/tamper', { method: 'POST' })).status, 409);
  const jar = new CookieJar();
  await jar.fetch(base, '/counter');
  const tampered = await jar.fetch(base, '/tamper', { method: 'POST', headers: asked });
  assert.equal(tampered.setCookies.length, 1);
  assert.match(tampered.setCookies[0]!, /^session=AyJ[^;]*; HttpOnly; Path=\/; SameSite=Lax$/);
  assert.match(
    texts(traceOf(tampered).notes, 'save').at(-1)!,
    /replaced the "session" cookie with a broken copy/,
  );
  const after = await jar.fetch(base, '/session');
  assert.equal(after.status, 200);
  assert.deepEqual(JSON.parse(after.body), {});
  assert.deepEqual(logs.errors, []);
});

test('POST /cart keeps every item: the change inside the list is saved because the route sets session.modified', async (t) => {
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  addCartRoute(app);
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  await jar.fetch(base, '/cart', { method: 'POST', headers: form, body: 'item=apple' });
  const second = await jar.fetch(base, '/cart', { method: 'POST', headers: form, body: 'item=pear' });
  assert.equal(second.body, 'Cart: apple, pear\n');
  const value = jar.cookies.get('session') ?? '';
  assert.deepEqual(JSON.parse(Buffer.from(value, 'base64url').toString()), { cart: ['apple', 'pear'] });
  assert.equal(
    (await jar.fetch(base, '/cart', { method: 'POST', headers: form, body: 'item=' })).status,
    400,
  );
});

test('GET /inspect shows a session value JSON cannot hold (a bigint) as text, not a 500', async (t) => {
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  app.sessionInterface.openSession = () => new Session({ big: 10n ** 30n });
  addInspector(app, { title: 'test', actions: [] });
  const { base } = await serve(app, t);
  const response = await fetchRaw(base, '/inspect');
  assert.equal(response.status, 200);
  assert.deepEqual(JSON.parse(response.body).session, { big: '1000000000000000000000000000000' });
});

test("POST /tamper's broken copy keeps the cookie's expiry: a remembered login's cookie stays one that outlives the browser", async (t) => {
  const { base } = await serve(await demoApps['step 02']!(t), t);
  const jar = new CookieJar();
  const login = await jar.fetch(base, '/login', {
    method: 'POST',
    headers: form,
    body: 'name=alice&remember=1',
  });
  const expires = /; Expires=([^;]+);/.exec(login.setCookies[0]!)?.[1];
  assert.ok(expires, 'a remembered login sets a cookie with an expiry');
  const tampered = await jar.fetch(base, '/tamper', { method: 'POST' });
  assert.equal(tampered.setCookies.length, 1);
  assert.notEqual(cookieFrom(tampered), cookieFrom(login));
  assert.match(tampered.setCookies[0]!, /; Expires=[^;]+ GMT; HttpOnly; Path=\/; SameSite=Lax$/);
  const shift = Date.parse(/; Expires=([^;]+);/.exec(tampered.setCookies[0]!)![1]!) - Date.parse(expires);
  assert.ok(shift >= 0 && shift < 60_000, 'the same lifetime, counted from the tamper request');
});
