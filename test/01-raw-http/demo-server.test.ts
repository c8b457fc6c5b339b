import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../src/01-raw-http/server.ts';
import { demoApps } from '../support/demo-apps.ts';
import { CookieJar, cookieFrom, fetchRaw } from '../support/http.ts';
import { serve } from '../support/server.ts';

const plainSession = (value: unknown): string =>
  `session=${Buffer.from(JSON.stringify(value)).toString('base64url')}`;

test('/test1/ answers OK and sets the session cookie holding name=xiaoming in plain JSON', async (t) => {
  const { base } = await serve(buildApp(), t);
  const response = await fetchRaw(base, '/test1/');
  assert.equal(response.body, 'OK');
  assert.equal(response.headers.vary, 'Cookie');
  const cookie = cookieFrom(response) ?? '';
  assert.equal(Buffer.from(cookie.slice('session='.length), 'base64url').toString(), '{"name":"xiaoming"}');
  assert.match(response.setCookies[0] ?? '', /; HttpOnly; Path=\/; SameSite=Lax$/);
});

test('a second visit to /test1/ keeps the session and sends no new cookie', async (t) => {
  const { base } = await serve(buildApp(), t);
  const jar = new CookieJar();
  await jar.fetch(base, '/test1/');
  const second = await jar.fetch(base, '/test1/');
  assert.deepEqual(second.setCookies, []);
  assert.deepEqual(JSON.parse((await jar.fetch(base, '/session')).body), { name: 'xiaoming' });
});

test('/counter counts per client and /session shows the count', async (t) => {
  const { base } = await serve(buildApp(), t);
  const alice = new CookieJar();
  const bob = new CookieJar();
  for (let i = 0; i < 3; i++) await alice.fetch(base, '/counter');
  assert.equal((await bob.fetch(base, '/counter')).body, '1\n');
  assert.equal((await alice.fetch(base, '/counter')).body, '4\n');
  assert.deepEqual(JSON.parse((await alice.fetch(base, '/session')).body), { count: 4 });
});

test('the plain session cookie can be forged: the server believes any count the client writes', async (t) => {
  const { base } = await serve(buildApp(), t);
  const response = await fetchRaw(base, '/counter', { headers: { cookie: plainSession({ count: 9000 }) } });
  assert.equal(response.body, '9001\n');
});

test('the login cookie can be forged: curl -b user=admin is admin', async (t) => {
  const { base } = await serve(buildApp(), t);
  const jar = new CookieJar();
  const login = await jar.fetch(base, '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=alice',
  });
  assert.equal(login.body, 'Logged in as alice.\n');
  assert.equal((await jar.fetch(base, '/whoami')).body, 'You are alice.\n');
  assert.equal(
    (await fetchRaw(base, '/whoami', { headers: { cookie: 'user=admin' } })).body,
    'You are admin.\n',
  );
  const logout = await jar.fetch(base, '/logout', { method: 'POST' });
  assert.match(
    logout.setCookies[0] ?? '',
    /^user=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=\/; SameSite=Lax$/,
  );
  assert.equal((await jar.fetch(base, '/whoami')).body, 'You are nobody. POST /login first.\n');
});

test('the visit counter lives in its own plain cookie and starts again from junk', async (t) => {
  const { base } = await serve(buildApp(), t);
  const jar = new CookieJar();
  await jar.fetch(base, '/visits');
  assert.equal((await jar.fetch(base, '/visits')).body, 'You have been here 2 times.\n');
  assert.equal(
    (await fetchRaw(base, '/visits', { headers: { cookie: 'visits=-5x' } })).body,
    'You have been here 1 time.\n',
  );
});

test('a malformed session cookie is an empty session, never a 500', async (t) => {
  const { base } = await serve(buildApp(), t);
  const junk = [
    'session=%%%',
    'session=bm90IGpzb24',
    'session=WzEsMl0',
    `session=${'A'.repeat(10_000)}`,
    'session="\\377"',
    'session=bnVsbA',
  ];
  for (const cookie of junk) {
    const response = await fetchRaw(base, '/session', { headers: { cookie } });
    assert.equal(response.status, 200, cookie);
    assert.deepEqual(JSON.parse(response.body), {}, cookie);
  }
});

test("a session cookie nested deeper than Python's json would go is an empty session, never a 500, in the inspector too", async (t) => {
  const { base } = await serve(await demoApps['step 01']!(t), t);
  const nested = (levels: number) =>
    Buffer.from(`{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`).toString('base64url');
  for (const path of ['/session', '/counter', '/inspect']) {
    const response = await fetchRaw(base, path, { headers: { cookie: `session=${nested(5000)}` } });
    assert.equal(response.status, 200, path);
  }
  assert.equal(
    (await fetchRaw(base, '/session', { headers: { cookie: `session=${nested(5000)}` } })).body,
    '{}\n',
  );
  assert.notEqual(
    (await fetchRaw(base, '/session', { headers: { cookie: `session=${nested(900)}` } })).body,
    '{}\n',
    '900 levels are still data',
  );
});

test('duplicate session cookies: the first one wins, as in Werkzeug', async (t) => {
  const { base } = await serve(buildApp(), t);
  const response = await fetchRaw(base, '/session', {
    headers: { cookie: `${plainSession({ n: 1 })}; ${plainSession({ n: 2 })}` },
  });
  assert.deepEqual(JSON.parse(response.body), { n: 1 });
});

test('a session cookie with __proto__ keys is read as data and pollutes nothing', async (t) => {
  const { base } = await serve(buildApp(), t);
  const cookie = `session=${Buffer.from('{"__proto__":{"polluted":true},"count":1}').toString('base64url')}`;
  const response = await fetchRaw(base, '/counter', { headers: { cookie } });
  assert.equal(response.body, '2\n');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const saved = Buffer.from((cookieFrom(response) ?? '').slice('session='.length), 'base64url').toString();
  assert.equal(saved, '{"__proto__":{"polluted":true},"count":2}');
});
