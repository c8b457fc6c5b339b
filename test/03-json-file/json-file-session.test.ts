import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecureCookieSessionInterface } from '../../src/02-signed-cookie/secure-cookie-interface.ts';
import { JsonFileSessionInterface } from '../../src/03-json-file/json-file-session.ts';
import { buildApp } from '../../src/03-json-file/server.ts';
import { CookieJar, fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';
import { filesUnder, login, makeLab, sessionOf, sidOf } from './lab.ts';

const sessionsFile = (root: string): string => join(root, 'instance', 'sessions.json');
const storedKeys = async (root: string): Promise<string[]> =>
  Object.keys(JSON.parse(await fsp.readFile(sessionsFile(root), 'utf8')) as object);

test('two hundred concurrent logins against the fixed store lose nothing', async (t) => {
  const lab = await makeLab(t, 'fixed');
  const { base } = await lab.start();
  const jars = Array.from({ length: 200 }, () => new CookieJar());
  await Promise.all(jars.map((jar) => jar.fetch(base, '/test1/')));
  await Promise.all(jars.map((jar, i) => login(jar, base, `user${i}`)));
  const users = await Promise.all(jars.map(async (jar) => (await sessionOf(jar, base)).user));
  assert.deepEqual(
    users,
    jars.map((_, i) => `user${i}`),
  );
  assert.equal(
    (await storedKeys(lab.root)).length,
    200,
    'one entry per user: the pre-login entries were deleted',
  );
});

test('a sid planted before login is worthless after it: login moves the session to a new sid', async (t) => {
  const { base } = await (await makeLab(t, 'fixed')).start();
  const attacker = new CookieJar();
  await attacker.fetch(base, '/test1/');
  const planted = attacker.cookies.get('session')!;
  const victim = new CookieJar();
  victim.cookies.set('session', planted);
  await login(victim, base, 'victim');
  assert.notEqual(victim.cookies.get('session'), planted);
  assert.equal((await sessionOf(victim, base)).user, 'victim');
  const replay = await fetchRaw(base, '/session', { headers: { cookie: `session=${planted}` } });
  assert.deepEqual(JSON.parse(replay.body), { _permanent: true });
});

test('a cookie that is not a validly signed uuid4 gets a fresh session, and nothing is stored under it', async (t) => {
  const lab = await makeLab(t, 'fixed');
  const { base } = await lab.start();
  const uuid = randomUUID();
  for (const value of [
    'attacker-chosen',
    '__proto__',
    uuid,
    `${uuid}.AAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    `x.${'A'.repeat(27)}`,
  ]) {
    const jar = new CookieJar();
    jar.cookies.set('session', value);
    await jar.fetch(base, '/test1/');
    assert.notEqual(sidOf(jar), value.split('.')[0], `${value} was adopted`);
  }
  const keys = await storedKeys(lab.root);
  assert.equal(keys.length, 5);
  assert.ok(!keys.includes(uuid) && !keys.includes('attacker-chosen') && !keys.includes('__proto__'));
});

test('without the signer, a well-formed sid the store does not know is still replaced', async (t) => {
  const { base } = await (await makeLab(t, 'fixed', { SESSION_USE_SIGNER: false })).start();
  const chosen = randomUUID();
  const jar = new CookieJar();
  jar.cookies.set('session', chosen);
  await jar.fetch(base, '/test1/');
  assert.notEqual(jar.cookies.get('session'), chosen);
  assert.match(jar.cookies.get('session')!, /^[0-9a-f-]{36}$/);
});

test("the signed cookie is Flask-Session's: the sid, a dot, HMAC-SHA1 keyed by HMAC(secret, 'flask-session')", async (t) => {
  const { base } = await (await makeLab(t, 'fixed', { SECRET_KEY: 'test-secret' })).start();
  const jar = new CookieJar();
  await jar.fetch(base, '/test1/');
  const [sid, signature] = jar.cookies.get('session')!.split('.');
  const key = createHmac('sha1', 'test-secret').update('flask-session').digest();
  assert.equal(signature, createHmac('sha1', key).update(sid!).digest('base64url'));
});

test('after a key rotation, a sid signed with a SECRET_KEY_FALLBACKS key still finds its session, and the cookie is signed again with the new key', async (t) => {
  const lab = await makeLab(t, 'fixed');
  const jar = new CookieJar();
  await login(jar, (await lab.start({ SECRET_KEY: 'old-key' })).base, 'alice');
  const { base } = await lab.start({ SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS: ['old-key'] });
  const sid = sidOf(jar);
  assert.equal((await sessionOf(jar, base)).user, 'alice');
  assert.equal(sidOf(jar), sid, 'the same session, not a fresh one');
  const key = createHmac('sha1', 'new-key').update('flask-session').digest();
  assert.equal(
    jar.cookies.get('session'),
    `${sid}.${createHmac('sha1', key).update(sid).digest('base64url')}`,
  );
});

test('an expired session is not loaded: at the end of its lifetime the request sees an empty session', async (t) => {
  const lab = await makeLab(t, 'fixed');
  const { base } = await lab.start();
  const jar = new CookieJar();
  await login(jar, base, 'alice');
  lab.clock.now += 7200 * 1000 - 1;
  assert.equal(
    (await sessionOf(jar, base)).user,
    'alice',
    'still live a millisecond before it expires (and refreshed)',
  );
  lab.clock.now += 7200 * 1000;
  assert.deepEqual(await sessionOf(jar, base), { _permanent: true });
});

test('logout deletes the stored entry and the cookie', async (t) => {
  const lab = await makeLab(t, 'fixed');
  const { base } = await lab.start();
  const jar = new CookieJar();
  await login(jar, base, 'alice');
  const sid = sidOf(jar);
  const response = await jar.fetch(base, '/logout', { method: 'POST' });
  assert.match(
    response.setCookies[0] ?? '',
    /^session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=\/; SameSite=Lax$/,
  );
  assert.ok(!(await storedKeys(lab.root)).includes(sid));
});

test('a request that never touches the session stores nothing and sets no cookie', async (t) => {
  const lab = await makeLab(t, 'fixed');
  const { base } = await lab.start();
  const response = await fetchRaw(base, '/static/missing.css');
  assert.deepEqual(response.setCookies, []);
  assert.deepEqual(await filesUnder(lab.root), []);
});

test('a session file that cannot be read answers 503, and the next request is served', async (t) => {
  const lab = await makeLab(t, 'fixed');
  let failNextRead = false;
  const fs = {
    ...lab.disk.fs,
    readFile: (async (...args: Parameters<typeof fsp.readFile>) => {
      if (failNextRead) {
        failNextRead = false;
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      }
      return fsp.readFile(...args);
    }) as typeof fsp.readFile,
  };
  const app = buildApp({ SESSION_IMPL: 'fixed' }, { rootPath: lab.root, fs });
  const logs = captureLogs(app);
  const { base } = await serve(app, t);
  const jar = new CookieJar();
  await login(jar, base, 'alice');
  failNextRead = true;
  const failed = await jar.fetch(base, '/session');
  assert.equal(failed.status, 503);
  assert.match(failed.body, /The session store could not be read/);
  assert.equal(logs.errors.length, 1);
  assert.equal((await sessionOf(jar, base)).user, 'alice');
});

test('a corrupt session file is moved aside and logged once, and the server keeps working', async (t) => {
  const lab = await makeLab(t, 'fixed', { SESSION_USE_SIGNER: false });
  const { base, logs } = await lab.start();
  await fsp.mkdir(join(lab.root, 'instance'));
  await fsp.writeFile(sessionsFile(lab.root), '{"torn": {"expiresAt": 17');
  const cookie = { cookie: `session=${randomUUID()}` };
  const answers = await Promise.all([1, 2, 3].map(() => fetchRaw(base, '/session', { headers: cookie })));
  assert.deepEqual(
    answers.map((r) => r.status),
    [200, 200, 200],
  );
  assert.equal(logs.warnings.length, 1);
  assert.match(logs.warnings[0]!, /moved it to .*sessions\.json\.corrupt-\d+/);
  const jar = new CookieJar();
  await login(jar, base, 'alice');
  assert.equal((await sessionOf(jar, base)).user, 'alice');
  assert.equal(
    (await filesUnder(join(lab.root, 'instance'))).filter((f) => f.includes('.corrupt-')).length,
    1,
  );
});

test('the session file defaults to sessions.json in the instance folder, and SESSION_FILE_PATH moves it', async (t) => {
  const lab = await makeLab(t, 'fixed');
  const first = await lab.start();
  await login(new CookieJar(), first.base, 'alice');
  assert.deepEqual(await filesUnder(lab.root), [join('instance', 'sessions.json')]);
  const second = await lab.start({ SESSION_FILE_PATH: 'var/s.json' });
  await login(new CookieJar(), second.base, 'bob');
  assert.deepEqual(
    await filesUnder(join(lab.root, 'instance', 'var')),
    ['s.json'],
    'a relative path is relative to the instance folder',
  );
  const third = await lab.start({ SESSION_FILE_PATH: join(lab.root, 'elsewhere.json') });
  await login(new CookieJar(), third.base, 'carol');
  assert.ok((await filesUnder(lab.root)).includes('elsewhere.json'));
});

test('a SESSION_FILE_PATH inside the static folder is refused at start-up', async (t) => {
  const lab = await makeLab(t, 'fixed');
  await assert.rejects(
    lab.start({ SESSION_FILE_PATH: join(lab.root, 'static', 'sessions.json') }),
    /inside the static folder/,
  );
  await assert.rejects(
    lab.start({ SESSION_FILE_PATH: '../static/css/sessions.json' }),
    /inside the static folder/,
  );
  await assert.rejects(
    lab.start({ SESSION_FILE_PATH: '../static/..sessions.json' }),
    /inside the static folder/,
    'a name that starts with two dots is still inside',
  );
  const sibling = await lab.start({ SESSION_FILE_PATH: '../static..old/sessions.json' });
  await login(new CookieJar(), sibling.base, 'alice');
  assert.ok(
    (await filesUnder(join(lab.root, 'static..old'))).includes('sessions.json'),
    'a folder next to static/ is outside it',
  );
});

test("the fixed server never serves the article's session file, whether or not an article-mode run left it behind", async (t) => {
  const lab = await makeLab(t, 'fixed');
  const { base } = await lab.start();
  assert.equal((await fetchRaw(base, '/static/session.json')).status, 404);
  await fsp.writeFile(
    join(lab.root, 'static', 'session.json'),
    '{"0b5b2a4e-5c1e-4d4e-9f4a-1c2d3e4f5a6b": {"user": "alice"}}',
  );
  await fsp.writeFile(join(lab.root, 'static', 'hello.txt'), 'hello\n');
  for (const path of [
    '/static/session.json',
    '/static/./session.json',
    '/static/css/../session.json',
    '/static/SESSION.json',
  ]) {
    const response = await fetchRaw(base, path);
    assert.equal(response.status, 404, path);
    assert.doesNotMatch(response.body, /alice/, path);
  }
  assert.equal(
    (await fetchRaw(base, '/static/hello.txt')).body,
    'hello\n',
    'the rest of the static folder is still served',
  );
});

test('SESSION_USE_SIGNER without a SECRET_KEY is refused at start-up', async (t) => {
  const lab = await makeLab(t, 'fixed');
  await assert.rejects(
    lab.start({ SECRET_KEY: null }),
    /SECRET_KEY must be set when SESSION_USE_SIGNER=True/,
  );
  await assert.rejects(
    lab.start({ SECRET_KEY: Buffer.alloc(0) }),
    /SECRET_KEY must be set when SESSION_USE_SIGNER=True/,
  );
});

test("/record shows the caller's own record: its file, key and expiry, and nothing of anyone else's", async (t) => {
  const lab = await makeLab(t, 'fixed');
  const { base } = await lab.start();
  const alice = new CookieJar();
  const bob = new CookieJar();
  await login(alice, base, 'alice');
  await login(bob, base, 'bob');
  const response = await alice.fetch(base, '/record');
  const record = JSON.parse(response.body) as Record<string, unknown>;
  assert.deepEqual(record, {
    file: join('instance', 'sessions.json'),
    key: sidOf(alice),
    expiresAt: new Date(lab.clock.now + 7200 * 1000).toISOString(),
    data: { _permanent: true, user: 'alice' },
  });
  assert.ok(!response.body.includes('bob') && !response.body.includes(sidOf(bob)));
  assert.equal((await fetchRaw(base, '/record')).status, 404);
});

test("unless SESSION_TYPE is 'file', the app keeps step 02's signed cookie interface", async (t) => {
  const lab = await makeLab(t, 'fixed');
  assert.ok((await lab.start()).app.sessionInterface instanceof JsonFileSessionInterface);
  assert.ok(
    (await lab.start({ SESSION_TYPE: 'cookie' })).app.sessionInterface instanceof
      SecureCookieSessionInterface,
  );
});

test('every SESSION_COOKIE_* setting reaches the cookie it sets and the one that deletes it, Partitioned included', async (t) => {
  const lab = await makeLab(t, 'fixed', {
    SESSION_COOKIE_DOMAIN: 'example.test',
    SESSION_COOKIE_PATH: '/app',
    SESSION_COOKIE_SAMESITE: 'Strict',
    SESSION_COOKIE_PARTITIONED: true,
  });
  const { base } = await lab.start();
  const jar = new CookieJar();
  const set = await login(jar, base, 'alice');
  assert.match(
    set.setCookies.at(-1) ?? '',
    /^session=[^;]+; Domain=example\.test; Expires=[^;]+ GMT; Secure; HttpOnly; Path=\/app; SameSite=Strict; Partitioned$/,
  );
  const cleared = await jar.fetch(base, '/logout', { method: 'POST' });
  assert.match(
    cleared.setCookies.at(-1) ?? '',
    /^session=; Domain=example\.test; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; Path=\/app; SameSite=Strict; Partitioned$/,
  );
});
