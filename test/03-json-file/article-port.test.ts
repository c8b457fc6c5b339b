import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecureCookieSessionInterface } from '../../src/02-signed-cookie/secure-cookie-interface.ts';
import { ArticleJsonFileSessionInterface } from '../../src/03-json-file/article-port.ts';
import { CookieJar, fetchRaw } from '../support/http.ts';
import { makeLab, sessionOf, sidOf } from './lab.ts';

test("the port keeps its file at the static folder plus MY_SESSION_PATH, as the article's _get_interface does", async (t) => {
  const lab = await makeLab(t, 'article');
  const { app } = await lab.start();
  assert.ok(app.sessionInterface instanceof ArticleJsonFileSessionInterface);
  assert.equal(app.sessionInterface.path, join(lab.root, 'static') + '/session.json');
  assert.equal(app.sessionInterface.permanent, 7200);
});

test("the port falls back to step 02's cookie interface unless SESSION_TYPE is 'file' and MY_SESSION_PATH is set", async (t) => {
  const lab = await makeLab(t, 'article');
  for (const config of [{ SESSION_TYPE: 'redis' }, { SESSION_TYPE: 'file', MY_SESSION_PATH: '' }]) {
    const { app } = await lab.start(config);
    assert.ok(app.sessionInterface instanceof SecureCookieSessionInterface, JSON.stringify(config));
  }
});

test("the port's expiry check is the article's: a session lives lifetime seconds after its last save, not one second more", async (t) => {
  const lab = await makeLab(t, 'article');
  const { base } = await lab.start();
  const jar = new CookieJar();
  await jar.fetch(base, '/test1/');
  lab.clock.now += 7200 * 1000;
  assert.equal(
    (await sessionOf(jar, base)).name,
    'xiaoming',
    'exactly lifetime seconds later it is still valid',
  );
  lab.clock.now += 7201 * 1000;
  assert.equal((await sessionOf(jar, base)).name, undefined, 'one second past the lifetime it is gone');
  assert.equal(sidOf(jar).length, 36, 'and the same sid carries on (flaw 2)');
});

test('the port stores a session and sets a cookie on every request, even one that never touches the session', async (t) => {
  const { base } = await (await makeLab(t, 'article')).start();
  const response = await fetchRaw(base, '/static/hello.txt');
  assert.equal(response.setCookies.length, 1);
  assert.match(response.setCookies[0]!, /^session=[0-9a-f-]{36}; Expires=[^;]+; HttpOnly; Path=\/$/);
});

test('the demo server refuses a SESSION_IMPL it does not know', async (t) => {
  const lab = await makeLab(t, 'article');
  await assert.rejects(
    lab.start({ SESSION_IMPL: 'sqlite' as 'fixed' }),
    /^TypeError: SESSION_IMPL must be 'article' or 'fixed'$/,
  );
});
