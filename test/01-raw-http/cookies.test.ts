import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeHeaderBytes,
  dumpCookie,
  parseCookie,
  parseCookieMap,
  cookieSizeWarning,
} from '../../src/01-raw-http/cookies.ts';

test('a Cookie header splits into trimmed name=value pairs, as Werkzeug parses it', () => {
  assert.deepEqual(parseCookie('a=1; b=2;c=3 ;  d = 4 '), [
    ['a', '1'],
    ['b', '2'],
    ['c', '3'],
    ['d', '4'],
  ]);
});

test('a name with no = gets an empty value and an empty name is dropped, as in Werkzeug', () => {
  assert.deepEqual(parseCookie('c; =d; e=f'), [
    ['c', ''],
    ['e', 'f'],
  ]);
});

test('repeated names are all kept in order, and the first one wins in the cookie map', () => {
  assert.deepEqual(parseCookie('a=1; a=2'), [
    ['a', '1'],
    ['a', '2'],
  ]);
  assert.equal(parseCookieMap('a=1; a=2').get('a'), '1');
});

test('quoted values lose their quotes and octal and backslash escapes are decoded', () => {
  assert.deepEqual(parseCookie('b="x\\054y"; q="say \\"hi\\""'), [
    ['b', 'x,y'],
    ['q', 'say "hi"'],
  ]);
});

test('a quoted value may contain a semicolon without ending the pair', () => {
  assert.deepEqual(parseCookie('a="1;2"; b=3'), [
    ['a', '1;2'],
    ['b', '3'],
  ]);
});

test('junk never throws: control bytes, lone quotes, 10 KB values and empty headers', () => {
  assert.deepEqual(parseCookie(undefined), []);
  assert.deepEqual(parseCookie(''), []);
  assert.deepEqual(parseCookie(';;;'), []);
  assert.deepEqual(parseCookie('a="unterminated; b=2'), [
    ['a', '"unterminated'],
    ['b', '2'],
  ]);
  assert.deepEqual(parseCookie('a=\u0001\u007f'), [['a', '\u0001\u007f']]);
  const big = 'x'.repeat(10 * 1024);
  assert.equal(parseCookieMap(`big=${big}`).get('big'), big);
});

test('header bytes are read as UTF-8 and bytes that are not UTF-8 become U+FFFD', () => {
  const utf8AsLatin1 = Buffer.from('name=小明', 'utf8').toString('latin1');
  assert.equal(parseCookieMap(decodeHeaderBytes(utf8AsLatin1)).get('name'), '小明');
  assert.equal(parseCookieMap(decodeHeaderBytes('n=\xff\xfe')).get('n'), '\uFFFD\uFFFD');
});

test('Set-Cookie attributes come in Werkzeug order: Domain, Expires, Max-Age, Secure, HttpOnly, Path, SameSite, Partitioned', () => {
  const header = dumpCookie('sid', 'v', {
    partitioned: true,
    sameSite: 'Lax',
    path: '/app',
    httpOnly: true,
    maxAgeSeconds: 60,
    expires: 0,
    domain: '.example.com:8080',
  });
  assert.equal(
    header,
    'sid=v; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Secure; HttpOnly; Path=/app; SameSite=Lax; Partitioned',
  );
});

test('a value outside the safe set is quoted with Werkzeug escapes so it cannot break the header', () => {
  assert.equal(dumpCookie('a', 'x,y; z'), 'a="x\\054y\\073 z"');
  assert.equal(dumpCookie('a', 'say "hi"'), 'a="say \\"hi\\""');
  assert.deepEqual(parseCookie(`${dumpCookie('a', 'x,y; "z" 小')}; b=1`), [
    ['a', 'x,y; "z" 小'],
    ['b', '1'],
  ]);
});

test('SameSite=None without Secure is refused, since a browser would ignore the cookie; Secure or Partitioned makes it valid', () => {
  assert.throws(
    () => dumpCookie('a', 'b', { sameSite: 'None' }),
    /^TypeError: SameSite=None requires Secure/,
  );
  assert.equal(dumpCookie('a', 'b', { sameSite: 'None', secure: true }), 'a=b; Secure; SameSite=None');
  assert.equal(
    dumpCookie('a', 'b', { sameSite: 'None', partitioned: true }),
    'a=b; Secure; SameSite=None; Partitioned',
  );
});

test('a cookie name that is not an RFC 6265 token is refused', () => {
  assert.throws(() => dumpCookie('bad name', 'v'), /Invalid cookie name/);
  assert.throws(() => dumpCookie('a;b', 'v'), /Invalid cookie name/);
});

test('a path with a semicolon is percent-encoded instead of ending the attribute', () => {
  assert.equal(dumpCookie('a', 'b', { path: '/x;Domain=evil' }), 'a=b; Path=/x%3BDomain=evil');
});

test("a header over 4093 bytes gets Werkzeug's size warning, one under it gets none", () => {
  const value = 'v'.repeat(5000);
  const header = dumpCookie('session', value, { httpOnly: true, path: '/' });
  assert.match(
    cookieSizeWarning('session', header) ?? '',
    /^The 'session' cookie is too large: the value was 5000 bytes but the header required 26 extra bytes\. The final size was 5026 bytes but the limit is 4093 bytes\./,
  );
  assert.equal(cookieSizeWarning('session', dumpCookie('session', 'small')), undefined);
});

test("a value holding U+2028 or \\r is one value, stripped as Werkzeug 3's str.strip() strips, not JavaScript's trim()", () => {
  assert.deepEqual(parseCookie('a=\u2028b\u2028'), [['a', 'b']]);
  assert.deepEqual(parseCookie('a=b\rc; d=e'), [
    ['a', 'b\rc'],
    ['d', 'e'],
  ]);
  assert.deepEqual(parseCookie('a=\x1cb\x85; c=\ufeffd'), [
    ['a', 'b'],
    ['c', '\ufeffd'],
  ]);
});
