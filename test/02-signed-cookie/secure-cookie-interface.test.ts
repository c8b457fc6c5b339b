import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import type { FlaskConfig } from '../../src/01-raw-http/config.ts';
import { session } from '../../src/01-raw-http/context.ts';
import { addStandardRoutes } from '../../src/01-raw-http/demo-routes.ts';
import { Response } from '../../src/01-raw-http/response.ts';
import { dictFromEntries } from '../../src/02-signed-cookie/dict.ts';
import { SecureCookieSessionInterface } from '../../src/02-signed-cookie/secure-cookie-interface.ts';
import { URLSafeTimedSerializer } from '../../src/02-signed-cookie/serializer.ts';
import { Signer } from '../../src/02-signed-cookie/signer.ts';
import { TimestampSigner } from '../../src/02-signed-cookie/timestamp-signer.ts';
import { sessionJsonSerializer } from '../../src/02-signed-cookie/tagged-json.ts';
import { fetchRaw, type TestResponse } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/flask-cookies.json', import.meta.url), 'utf8'));
const T0 = 1700000000;
const lifetime = 2678400;

/** A clock the test moves by hand (seconds). */
function clock(start = T0) {
  const state = { seconds: start };
  return { state, now: () => state.seconds * 1000 };
}

function buildApp(config: Partial<FlaskConfig> = {}, now = clock().now) {
  const app = new Flask({ SECRET_KEY: 'test-secret-key', ...config });
  app.sessionInterface = new SecureCookieSessionInterface({ now });
  const logs = captureLogs(app);
  addStandardRoutes(app);
  app.get('/set-vector-1', () => {
    session.set('user_id', 42);
    session.set('name', '小明');
    return 'ok';
  });
  app.get('/login-permanent', () => {
    session.set('user', 'alice');
    session.permanent = true;
    return 'ok';
  });
  app.get('/clear', () => {
    session.clear();
    return 'cleared';
  });
  app.get('/untouched', () => 'no session here');
  app.get('/has', () => String(session.has('user')));
  app.get('/cart/forgetful', () => {
    (session.setdefault('cart', { items: [] as string[] }) as { items: string[] }).items.push('apple');
    return 'ok';
  });
  app.get('/cart/nested', () => {
    (session.get('cart') as { items: string[] }).items.push('pear');
    return 'ok';
  });
  app.get('/cart/nested-marked', () => {
    (session.get('cart') as { items: string[] }).items.push('pear');
    session.modified = true;
    return 'ok';
  });
  app.get('/big', () => {
    session.set('blob', randomBytes(4000).toString('base64')); // random, so zlib cannot shrink it
    return 'ok';
  });
  app.get('/proto', () => Response.json({ proto: session.get('__proto__') ?? null, keys: session.keys() }));
  return { app, logs };
}

const signing = (secret: string | string[], seconds = T0) =>
  new URLSafeTimedSerializer(secret, {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    serializer: sessionJsonSerializer,
    now: () => seconds * 1000,
  });
const get = (base: string, path: string, cookie?: string): Promise<TestResponse> =>
  fetchRaw(base, path, cookie ? { headers: { cookie: `session=${cookie}` } } : {});
const cookieValue = (response: TestResponse) => /^session=([^;]*)/.exec(response.setCookies[0] ?? '')?.[1];

test('the article\'s /test1/ sets a signed cookie holding {"name": "xiaoming"}, with Vary: Cookie', async (t) => {
  const { base } = await serve(buildApp().app, t);
  const response = await get(base, '/test1/');
  assert.equal(response.body, 'OK');
  assert.equal(response.headers.vary, 'Cookie');
  assert.match(response.setCookies[0]!, /^session=[\w.-]+; HttpOnly; Path=\/$/);
  assert.deepEqual(signing('test-secret-key').loads(cookieValue(response)!), { name: 'xiaoming' });
});

test('the Set-Cookie header is byte for byte the one Flask sent for the same session at the same second', async (t) => {
  const { base } = await serve(buildApp().app, t);
  const response = await get(base, '/set-vector-1');
  assert.deepEqual(response.setCookies, [fixture.vectors[0].set_cookie_header]);
});

test('a cookie Flask made is read back as the session', async (t) => {
  const { base } = await serve(buildApp().app, t);
  const response = await get(base, '/session', fixture.vectors[0].cookie);
  assert.deepEqual(JSON.parse(response.body), { name: '小明', user_id: 42 });
  assert.deepEqual(response.setCookies, [], 'reading does not re-send a non-permanent cookie');
  assert.equal(response.headers.vary, 'Cookie');
});

test('tampered, truncated, badly encoded, foreign-key, expired and future cookies all give an empty session, not an error', async (t) => {
  const clk = clock(T0 + lifetime + 1);
  const { app, logs } = buildApp({}, clk.now);
  const { base } = await serve(app, t);
  const good = fixture.vectors[0].cookie as string;
  const cases = {
    tampered: `eyJuYW1lIjoiYm9iIiwidXNlcl9pZCI6NDJ9${good.slice(good.indexOf('.'))}`,
    truncated: good.slice(0, -3),
    'bad base64': `${good.slice(0, 10)}!!!${good.slice(13)}`,
    'no dots': 'garbage',
    'bad zlib, signed with another key': new Signer('other', {
      salt: 'cookie-session',
      keyDerivation: 'hmac',
    }).sign('.bm90emxpYg.ZVPxAA'),
    expired: good,
    future: signing('test-secret-key', T0 + lifetime + 100).dumps({ a: 1 }),
  };
  for (const [what, cookie] of Object.entries(cases)) {
    const response = await get(base, '/session', cookie);
    assert.equal(response.status, 200, what);
    assert.equal(response.body, '{}\n', what);
    assert.deepEqual(response.setCookies, [], what);
  }
  assert.deepEqual(logs.errors, []);
});

test('exactly PERMANENT_SESSION_LIFETIME old is still valid, for a non-permanent cookie too', async (t) => {
  const { base } = await serve(buildApp({}, clock(T0 + lifetime).now).app, t);
  assert.deepEqual(JSON.parse((await get(base, '/session', fixture.vectors[0].cookie)).body), {
    name: '小明',
    user_id: 42,
  });
});

test('a validly signed cookie with an unreadable payload is an empty session and a warning, where Flask would answer 500', async (t) => {
  const { app, logs } = buildApp();
  const { base } = await serve(app, t);
  const signer = new TimestampSigner('test-secret-key', {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    now: () => T0 * 1000,
  });
  for (const payload of ['.bm90emxpYg', 'WzEsMl0', 'bm90IGpzb24', 'eyJ5Ijp7IiBkaSI6MX19']) {
    const response = await get(base, '/session', signer.sign(payload));
    assert.equal(response.status, 200, payload);
    assert.equal(response.body, '{}\n', payload);
  }
  assert.equal(logs.warnings.length, 4);
  assert.match(logs.warnings[0]!, /validly signed but unreadable/);
  assert.ok(logs.warnings.every((w) => !w.includes('test-secret-key')));
});

test('a __proto__ key in a cookie stays session data and pollutes nothing', async (t) => {
  const { base } = await serve(buildApp().app, t);
  const cookie = signing('test-secret-key').dumps(dictFromEntries([['__proto__', { isAdmin: true }]]));
  const response = await get(base, '/proto', cookie);
  assert.deepEqual(JSON.parse(response.body), { proto: { isAdmin: true }, keys: ['__proto__'] });
  assert.equal(({} as { isAdmin?: boolean }).isAdmin, undefined);
});

test("emptying the session sends Flask's deletion header and Vary: Cookie", async (t) => {
  const { base } = await serve(buildApp().app, t);
  const response = await get(base, '/clear', fixture.vectors[0].cookie);
  assert.deepEqual(response.setCookies, fixture.deletion_on_clear.clear_set_cookie);
  assert.equal(response.headers.vary, fixture.deletion_on_clear.vary);
});

test('a session that is empty and unchanged sends nothing; an untouched session adds no Vary', async (t) => {
  const { base } = await serve(buildApp().app, t);
  const touched = await get(base, '/session');
  assert.deepEqual(touched.setCookies, []);
  assert.equal(touched.headers.vary, 'Cookie');
  const untouched = await get(base, '/untouched', fixture.vectors[0].cookie);
  assert.deepEqual(untouched.setCookies, []);
  assert.equal(untouched.headers.vary, undefined);
});

test('asking whether a key is in the session marks it accessed: Vary: Cookie without Set-Cookie (GHSA-68rp-wp8r-4726)', async (t) => {
  const { base } = await serve(buildApp().app, t);
  const response = await get(base, '/has', fixture.vectors[0].cookie);
  assert.equal(response.body, 'false');
  assert.equal(response.headers.vary, 'Cookie');
  assert.deepEqual(response.setCookies, []);
});

test('a permanent session gets Expires = now + lifetime and, by default, a fresh cookie and timestamp on every request', async (t) => {
  const clk = clock();
  const { base } = await serve(buildApp({}, clk.now).app, t);
  const login = await get(base, '/login-permanent');
  assert.equal(
    login.setCookies[0],
    `session=${fixture.vectors[8].cookie}; Expires=${new Date((T0 + lifetime) * 1000).toUTCString()}; HttpOnly; Path=/`,
  );
  clk.state.seconds += 60;
  const later = await get(base, '/untouched', cookieValue(login));
  const refreshed = cookieValue(later)!;
  assert.match(
    later.setCookies[0]!,
    new RegExp(`Expires=${new Date((T0 + 60 + lifetime) * 1000).toUTCString()};`),
  );
  assert.equal(signing('test-secret-key').signer.unsignWithTimestamp(refreshed).timestamp, T0 + 60);
  assert.equal(later.headers.vary, 'Cookie');
});

test('with SESSION_REFRESH_EACH_REQUEST false an unchanged permanent session is not re-sent', async (t) => {
  const { base } = await serve(buildApp({ SESSION_REFRESH_EACH_REQUEST: false }).app, t);
  const response = await get(base, '/untouched', fixture.vectors[8].cookie);
  assert.deepEqual(response.setCookies, []);
});

test('a change inside a nested value is not seen unless the view sets session.modified', async (t) => {
  const { base } = await serve(buildApp().app, t);
  const first = await get(base, '/cart/forgetful');
  const cookie = cookieValue(first)!;
  assert.deepEqual(signing('test-secret-key').loads(cookie), { cart: { items: ['apple'] } });
  assert.deepEqual((await get(base, '/cart/nested', cookie)).setCookies, [], 'the nested push is lost');
  const marked = await get(base, '/cart/nested-marked', cookie);
  assert.deepEqual(signing('test-secret-key').loads(cookieValue(marked)!), {
    cart: { items: ['apple', 'pear'] },
  });
});

test("every SESSION_COOKIE_* setting reaches the header, in Werkzeug's order", async (t) => {
  const { base } = await serve(
    buildApp({
      SESSION_COOKIE_NAME: 'sid',
      SESSION_COOKIE_DOMAIN: 'example.com',
      SESSION_COOKIE_PATH: '/app',
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SAMESITE: 'lax' as 'Lax',
    }).app,
    t,
  );
  const response = await get(base, '/test1/');
  assert.match(
    response.setCookies[0]!,
    /^sid=[\w.-]+; Domain=example\.com; Secure; Path=\/app; SameSite=Lax$/,
  );
});

test('SESSION_COOKIE_PARTITIONED forces Secure; APPLICATION_ROOT is the path when SESSION_COOKIE_PATH is unset', async (t) => {
  const { base } = await serve(
    buildApp({ SESSION_COOKIE_PARTITIONED: true, SESSION_COOKIE_SAMESITE: 'None', APPLICATION_ROOT: '/root' })
      .app,
    t,
  );
  const response = await get(base, '/test1/');
  assert.match(
    response.setCookies[0]!,
    /^session=[\w.-]+; Secure; HttpOnly; Path=\/root; SameSite=None; Partitioned$/,
  );
});

test("an invalid SESSION_COOKIE_SAMESITE stops the app at start-up, by the rule Werkzeug's dump_cookie raises on", () => {
  assert.throws(
    () => buildApp({ SESSION_COOKIE_SAMESITE: 'Sometimes' as 'Lax' }),
    /^TypeError: SESSION_COOKIE_SAMESITE must be 'Strict', 'Lax', 'None' \(only with SESSION_COOKIE_SECURE\), or null$/,
  );
});

test("a cookie over MAX_COOKIE_SIZE is still sent, with Werkzeug's warning logged", async (t) => {
  const { app, logs } = buildApp();
  const { base } = await serve(app, t);
  const response = await get(base, '/big');
  assert.equal(response.setCookies.length, 1);
  assert.equal(logs.warnings.length, 1);
  assert.match(
    logs.warnings[0]!,
    /^The 'session' cookie is too large: the value was \d+ bytes but the header required 26 extra bytes\. .* limit is 4093 bytes\./,
  );
});

test('with SECRET_KEY_FALLBACKS an old-key cookie is read, and the re-issued cookie is signed by the current key', async (t) => {
  const rotation = fixture.key_rotation_flask_3_1_3;
  const { app } = buildApp({ SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS: ['older-key', 'old-key'] });
  app.get('/rename', () => {
    session.set('user', `${String(session.get('user'))}2`);
    return 'ok';
  });
  const { base } = await serve(app, t);
  const response = await get(base, '/rename', rotation['old_cookie_signed_with_old-key']);
  assert.equal(cookieValue(response), rotation.new_cookie);
  assert.equal(
    new Signer('new-key', { salt: 'cookie-session', keyDerivation: 'hmac' }).validate(rotation.new_cookie),
    true,
  );
  assert.equal(
    new Signer('old-key', { salt: 'cookie-session', keyDerivation: 'hmac' }).validate(rotation.new_cookie),
    false,
  );
});

test('the signing serializer is kept while the keys stay, and rebuilt when SECRET_KEY or a fallback changes', () => {
  const { app } = buildApp({ SECRET_KEY: 'first-key' });
  const iface = app.sessionInterface as SecureCookieSessionInterface;
  const first = iface.getSigningSerializer(app)!;
  assert.equal(
    iface.getSigningSerializer(app),
    first,
    'same keys: the same serializer, its derived keys reused',
  );
  const oldCookie = first.dumps({ user: 'alice' });
  app.config.SECRET_KEY = 'second-key';
  const second = iface.getSigningSerializer(app)!;
  assert.notEqual(second, first);
  assert.equal(
    new Signer('second-key', { salt: 'cookie-session', keyDerivation: 'hmac' }).validate(
      second.dumps({ a: 1 }),
    ),
    true,
  );
  assert.throws(
    () => second.loads(oldCookie),
    /does not match/,
    'a cookie of the old key no longer verifies',
  );
  app.config.SECRET_KEY_FALLBACKS = ['first-key'];
  assert.deepEqual(
    iface.getSigningSerializer(app)!.loads(oldCookie),
    { user: 'alice' },
    'as a fallback the old key verifies again',
  );
});

test("without SECRET_KEY the session is a NullSession: reads are empty, writes fail with Flask's message, nothing is set", async (t) => {
  const { app, logs } = buildApp({ SECRET_KEY: null });
  const { base } = await serve(app, t);
  const read = await get(base, '/session', fixture.vectors[0].cookie);
  assert.equal(read.body, '{}\n');
  const write = await get(base, '/test1/');
  assert.equal(write.status, 500);
  assert.deepEqual(write.setCookies, []);
  assert.equal(logs.errors.length, 1);
});

test('NullSession writes raise Flask\'s exact RuntimeError, two spaces after "set." included', () => {
  const nullSession = new SecureCookieSessionInterface().makeNullSession(new Flask());
  const message =
    'The session is unavailable because no secret key was set.  Set the secret_key on the application to something unique and secret.';
  const writes: Array<() => unknown> = [
    () => nullSession.set('a', 1),
    () => nullSession.setdefault('a', 1),
    () => nullSession.pop('a'),
    () => nullSession.delete('a'),
    () => nullSession.clear(),
    () => nullSession.update({ a: 1 }),
    () => {
      nullSession.permanent = true;
    },
  ];
  for (const write of writes) assert.throws(write, { name: 'RuntimeError', message });
  assert.equal(nullSession.get('a'), undefined);
  assert.equal(nullSession.size, 0);
});
