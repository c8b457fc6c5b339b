import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossOriginRefusal } from '../../src/01-raw-http/cross-origin.ts';
import { Request } from '../../src/01-raw-http/request.ts';
import { demoApps } from '../support/demo-apps.ts';
import { CookieJar } from '../support/http.ts';
import { serve } from '../support/server.ts';

const host = '127.0.0.1:5000';

test('a state change is refused when Sec-Fetch-Site or Origin says another page sent it, as Go 1.25 decides', () => {
  const cases: Array<[method: string, headers: Record<string, string>, refused: string | null]> = [
    ['POST', {}, null],
    ['POST', { 'sec-fetch-site': 'same-origin' }, null],
    ['POST', { 'sec-fetch-site': 'none' }, null],
    ['POST', { 'sec-fetch-site': 'cross-site' }, 'Sec-Fetch-Site is cross-site'],
    ['POST', { 'sec-fetch-site': 'same-site' }, 'Sec-Fetch-Site is same-site'],
    ['POST', { 'sec-fetch-site': 'cross-site', origin: `http://${host}` }, 'Sec-Fetch-Site is cross-site'],
    ['POST', { 'sec-fetch-site': 'same-origin', origin: 'http://evil.example' }, null],
    ['POST', { origin: `http://${host}` }, null],
    ['POST', { origin: `HTTP://127.0.0.1:5000` }, null],
    [
      'POST',
      { origin: 'http://evil.example' },
      `Origin http://evil.example is not this server (Host ${host})`,
    ],
    [
      'POST',
      { origin: 'http://127.0.0.1:5001' },
      `Origin http://127.0.0.1:5001 is not this server (Host ${host})`,
    ],
    ['POST', { origin: 'null' }, `Origin null is not this server (Host ${host})`],
    [
      'DELETE',
      { origin: 'http://evil.example' },
      `Origin http://evil.example is not this server (Host ${host})`,
    ],
    ['PUT', { 'sec-fetch-site': 'cross-site' }, 'Sec-Fetch-Site is cross-site'],
    ['GET', { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' }, null],
    ['HEAD', { origin: 'http://evil.example' }, null],
    ['OPTIONS', { 'sec-fetch-site': 'cross-site' }, null],
  ];
  for (const [method, headers, refused] of cases) {
    const request = new Request({ method, url: '/login', headers: { host, ...headers } });
    assert.equal(crossOriginRefusal(request), refused, `${method} ${JSON.stringify(headers)}`);
  }
});

/** Who the jar is logged in as: step 01's plain `user` cookie, or `user` in the session. */
async function loggedInAs(jar: CookieJar, base: string): Promise<unknown> {
  const session = JSON.parse((await jar.fetch(base, '/session')).body) as Record<string, unknown>;
  return jar.cookies.get('user') ?? session.user;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

for (const [step, build] of Object.entries(demoApps)) {
  test(`${step}'s demo server refuses a login or logout posted from another origin with a 403, and takes one from curl or itself`, async (t) => {
    const { base } = await serve(await build(t), t);
    const own = base;
    const jar = new CookieJar();
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      jar.fetch(base, path, { method: 'POST', headers: { ...form, ...headers }, body });

    const forged = await post('/login', 'name=mallory', { origin: 'http://evil.example' });
    assert.equal(forged.status, 403);
    assert.equal(
      forged.body,
      `Cross-origin POST refused: Origin http://evil.example is not this server (Host ${new URL(base).host}).\n`,
    );
    assert.deepEqual(forged.setCookies, [], 'no session cookie for a refused login');
    const curl = await post('/login', 'name=alice');
    assert.deepEqual(
      [curl.status, curl.body],
      [200, 'Logged in as alice.\n'],
      'no Origin, no Sec-Fetch-Site: curl or a script',
    );
    const fromBrowser = await post('/login', 'name=mallory', {
      'sec-fetch-site': 'cross-site',
      origin: 'http://evil.example',
    });
    assert.deepEqual(
      [fromBrowser.status, fromBrowser.body],
      [403, 'Cross-origin POST refused: Sec-Fetch-Site is cross-site.\n'],
    );
    assert.equal((await post('/logout', '', { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal(
      await loggedInAs(jar, base),
      'alice',
      'still alice: neither the forged login nor the logout took',
    );

    const sameOrigin = await post('/login', 'name=bob', { 'sec-fetch-site': 'same-origin', origin: own });
    assert.deepEqual([sameOrigin.status, sameOrigin.body], [200, 'Logged in as bob.\n']);
    assert.equal((await post('/logout', '', { origin: own })).status, 200);
  });
}
