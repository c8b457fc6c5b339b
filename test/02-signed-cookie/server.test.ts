import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { main } from '../../src/02-signed-cookie/cookie-tool.ts';
import { SecureCookieSessionInterface } from '../../src/02-signed-cookie/secure-cookie-interface.ts';
import { maxPayloadBytes } from '../../src/02-signed-cookie/serializer.ts';
import { buildApp } from '../../src/02-signed-cookie/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { CookieJar, fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

test('without a SECRET_KEY the demo warns once, never prints the key, and sessions still work', async (t) => {
  const warnings: string[] = [];
  const app = buildApp({}, (m) => warnings.push(m));
  captureLogs(app);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /WARNING: FLASK_SECRET_KEY is not set/);
  assert.ok(!warnings[0]!.includes(String(app.config.SECRET_KEY)));
  assert.match(String(app.config.SECRET_KEY), /^[0-9a-f]{64}$/);
  assert.notEqual(
    buildApp({}, () => {}).config.SECRET_KEY,
    app.config.SECRET_KEY,
    'every start gets its own key',
  );
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  await jar.fetch(base, '/counter');
  assert.equal((await jar.fetch(base, '/counter')).body, '2\n');
});

test('with FLASK_SECRET_KEY set there is no warning and the demo cookie is SameSite=Lax', async (t) => {
  const warnings: string[] = [];
  const app = buildApp({ SECRET_KEY: 'dev' }, (m) => warnings.push(m));
  const { base } = await serve(app, t);
  assert.deepEqual(warnings, []);
  const response = await fetchRaw(base, '/test1/');
  assert.match(response.setCookies[0]!, /^session=[\w.-]+; HttpOnly; Path=\/; SameSite=Lax$/);
});

test('login, whoami and logout: the user lives in the signed cookie, and logout deletes it', async (t) => {
  const { base } = await serve(buildApp({ SECRET_KEY: 'dev' }), t);
  const jar = new CookieJar();
  assert.equal((await jar.fetch(base, '/login', form({ name: '' }))).status, 400);
  const login = await jar.fetch(base, '/login', form({ name: 'alice' }));
  assert.equal(login.body, 'Logged in as alice.\n');
  assert.doesNotMatch(login.setCookies[0]!, /Expires/);
  assert.equal((await jar.fetch(base, '/whoami')).body, 'You are alice.\n');
  const logout = await jar.fetch(base, '/logout', { method: 'POST' });
  assert.match(logout.setCookies[0]!, /^session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0;/);
  assert.equal((await jar.fetch(base, '/whoami')).body, 'You are nobody. POST /login first.\n');
});

test('remember=1 makes the login permanent: the cookie gets an Expires date', async (t) => {
  const { base } = await serve(buildApp({ SECRET_KEY: 'dev' }), t);
  const login = await fetchRaw(base, '/login', form({ name: 'bob', remember: '1' }));
  assert.match(login.setCookies[0]!, /; Expires=\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT; HttpOnly/);
});

test('a forged cookie claiming to be admin is ignored: the visitor is nobody', async (t) => {
  const { base } = await serve(buildApp({ SECRET_KEY: 'dev' }), t);
  const forged = `${Buffer.from('{"user":"admin"}').toString('base64url')}.ZVPxAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA`;
  const response = await fetchRaw(base, '/whoami', { headers: { cookie: `session=${forged}` } });
  assert.equal(response.body, 'You are nobody. POST /login first.\n');
});

test("/cookie shows the anatomy of the visitor's cookie and whether this server's key signed it", async (t) => {
  const { base } = await serve(buildApp({ SECRET_KEY: 'test-secret-key' }), t);
  // Signed with this key in 2023: far older than PERMANENT_SESSION_LIFETIME (31 days).
  const vector = 'eyJuYW1lIjoiXHU1YzBmXHU2NjBlIiwidXNlcl9pZCI6NDJ9.ZVPxAA.-mKbxyBBL4sNDkv1pv0uKfwaWk4';
  const old = await fetchRaw(base, '/cookie', { headers: { cookie: `session=${vector}` } });
  assert.equal(
    old.body,
    'payload:   eyJuYW1lIjoiXHU1YzBmXHU2NjBlIiwidXNlcl9pZCI6NDJ9\n' +
      '  json:    {"name":"\\u5c0f\\u660e","user_id":42}\n' +
      'timestamp: ZVPxAA = 1700000000 = 2023-11-14T22:13:20.000Z\n' +
      'signature: -mKbxyBBL4sNDkv1pv0uKfwaWk4 (20-byte HMAC-SHA1): valid but EXPIRED: older than PERMANENT_SESSION_LIFETIME\n',
  );
  const jar = new CookieJar();
  await jar.fetch(base, '/counter');
  assert.match((await jar.fetch(base, '/cookie')).body, /\(20-byte HMAC-SHA1\): valid\n$/);
  const foreign = await fetchRaw(base, '/cookie', { headers: { cookie: `session=${vector.slice(0, -1)}A` } });
  assert.match(foreign.body, /NOT valid for this server's key/);
  const junk = await fetchRaw(base, '/cookie', { headers: { cookie: 'session=junk' } });
  assert.equal(junk.status, 400);
  assert.equal((await fetchRaw(base, '/cookie')).body.startsWith('No session cookie yet.'), true);
});

test('/cookie and the inspector take apart a forged cookie without inflating a zlib bomb or failing on its timestamp', async (t) => {
  const { base } = await serve(mountInspector('02-signed-cookie', buildApp({ SECRET_KEY: 'dev' })), t);
  // 11 MB of JSON in a cookie of about 14 KB, with a signature nobody could have made.
  const bomb = `.${deflateSync(`{"a":"${'a'.repeat(11_000_000)}"}`, { level: 9 }).toString('base64url')}.ZVPxAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA`;
  const badTime = 'e30.________.AAAAAAAAAAAAAAAAAAAAAAAAAAA';
  for (const cookie of [bomb, badTime]) {
    const anatomy = await fetchRaw(base, '/cookie', { headers: { cookie: `session=${cookie}` } });
    assert.equal(anatomy.status, 400);
    assert.match(
      anatomy.body,
      cookie === bomb
        ? /^Not a readable session cookie: The payload inflates to more than 65536 bytes/
        : /^Not a readable session cookie: the timestamp \d+ is not a date/,
    );
    const inspect = await fetchRaw(base, '/inspect', { headers: { cookie: `session=${cookie}` } });
    assert.equal(inspect.status, 200);
    assert.ok(inspect.body.length < 100_000, `the inspector answered ${inspect.body.length} bytes`);
    assert.match(inspect.body, /"readable","no: /);
  }
});

test('a validly signed zlib bomb is refused like any bad cookie: an empty session with a warning, unreadable in /cookie, the inspector and the cookie tool', async (t) => {
  const app = mountInspector('02-signed-cookie', buildApp({ SECRET_KEY: 'dev' }));
  const logs = captureLogs(app);
  const signer = (app.sessionInterface as SecureCookieSessionInterface).getSigningSerializer(app)!.signer;
  const signedPayload = (json: string) => signer.sign(`.${deflateSync(json).toString('base64url')}`);
  // 1 MiB of JSON in a cookie of about 1.4 KB, signed with the server's own key.
  const bomb = signedPayload(`{"a":"${'a'.repeat(1024 * 1024)}"}`);
  const atTheBound = signedPayload(`{"a":"${'a'.repeat(maxPayloadBytes - '{"a":""}'.length)}"}`);
  const { base } = await serve(app, t);
  const opened = await fetchRaw(base, '/session', { headers: { cookie: `session=${bomb}` } });
  assert.equal(opened.status, 200);
  assert.equal(opened.body, '{}\n');
  assert.match(
    logs.warnings.join('\n'),
    /validly signed but unreadable \(The payload inflates to more than 65536 bytes\)/,
  );
  const anatomy = await fetchRaw(base, '/cookie', { headers: { cookie: `session=${bomb}` } });
  assert.equal(anatomy.status, 400);
  assert.match(anatomy.body, /^Not a readable session cookie: The payload inflates to more than 65536 bytes/);
  assert.match(
    (await fetchRaw(base, '/inspect', { headers: { cookie: `session=${bomb}` } })).body,
    /"readable","no: The payload inflates/,
  );
  const stderr: string[] = [];
  assert.equal(
    main(
      ['verify', '--secret', 'dev', bomb],
      () => true,
      (text) => stderr.push(text) > 0,
    ),
    1,
  );
  assert.match(stderr.join(''), /^malformed: The payload inflates to more than 65536 bytes/);
  const whole = await fetchRaw(base, '/session', { headers: { cookie: `session=${atTheBound}` } });
  assert.equal(
    (JSON.parse(whole.body) as { a: string }).a.length,
    maxPayloadBytes - '{"a":""}'.length,
    'a payload that inflates to exactly the bound still opens',
  );
});

test('/session shows a big integer from a Flask cookie as its digits instead of failing', async (t) => {
  const app = buildApp({ SECRET_KEY: 'dev' });
  const { base } = await serve(app, t);
  const signed = (app.sessionInterface as SecureCookieSessionInterface)
    .getSigningSerializer(app)!
    .dumps({ user_id: 1234567890123456789n });
  const response = await fetchRaw(base, '/session', { headers: { cookie: `session=${signed}` } });
  assert.equal(response.status, 200);
  assert.deepEqual(JSON.parse(response.body), { user_id: '1234567890123456789' });
});

test('the forgetful cart loses items added inside the stored list; /cart marks the session modified and keeps them', async (t) => {
  const { base } = await serve(buildApp({ SECRET_KEY: 'dev' }), t);
  const forgetful = new CookieJar();
  await forgetful.fetch(base, '/cart/forgetful', form({ item: 'apple' }));
  assert.equal(
    (await forgetful.fetch(base, '/cart/forgetful', form({ item: 'pear' }))).body,
    'cart: ["apple","pear"]\n',
  );
  assert.equal((await forgetful.fetch(base, '/session')).body, '{"cart":["apple"]}\n');
  const careful = new CookieJar();
  await careful.fetch(base, '/cart', form({ item: 'apple' }));
  await careful.fetch(base, '/cart', form({ item: 'pear' }));
  assert.equal((await careful.fetch(base, '/session')).body, '{"cart":["apple","pear"]}\n');
});

test('main.ts prints the listening line first, warns on stderr without the key, and serves the session', async (t) => {
  const main = fileURLToPath(new URL('../../src/02-signed-cookie/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, PORT: '0', FLASK_SECRET_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill());
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [first] = (await once(child.stdout, 'data')) as [Buffer];
  const base = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(first.toString())?.[1];
  assert.ok(base, first.toString());
  assert.equal((await fetchRaw(base, '/test1/')).body, 'OK');
  assert.match(stderr, /FLASK_SECRET_KEY is not set/);
  assert.doesNotMatch(stderr, /[0-9a-f]{64}/);
  child.kill();
  await once(child, 'exit');
});
