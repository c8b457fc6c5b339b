import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { configFromEnv, type FlaskConfig } from '../../src/01-raw-http/config.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { hostIsTrusted } from '../../src/01-raw-http/trusted-hosts.ts';
import { demoApps } from '../support/demo-apps.ts';
import { fetchRaw } from '../support/http.ts';
import { serve } from '../support/server.ts';

test('a Host is trusted when its name, port ignored, is in the list or under a dotted entry, as in Werkzeug', () => {
  const list = ['127.0.0.1', 'localhost', '[::1]', '.example.org', 'bücher.example'];
  const cases: Array<[host: string | undefined, trusted: boolean]> = [
    ['127.0.0.1', true],
    ['127.0.0.1:5000', true],
    ['localhost:5000', true],
    ['LocalHost:5000', true],
    ['[::1]:5000', true],
    ['example.org', true],
    ['a.b.example.org:80', true],
    ['xn--bcher-kva.example', true],
    ['evil.example', false],
    ['evil.example:5000', false],
    ['localhost.evil.example', false],
    ['notexample.org', false],
    ['127.0.0.2:5000', false],
    ['[::2]:5000', false],
    ['evil.example@127.0.0.1', false],
    ['127.0.0.1 evil.example', false],
    ['127.0.0.1:5000:5000', false],
    ['', false],
    [undefined, false],
  ];
  for (const [host, trusted] of cases) assert.equal(hostIsTrusted(host, list), trusted, String(host));
  assert.equal(hostIsTrusted('anything.example', []), true, 'an empty list trusts any well-formed host');
});

test('the framework answers any Host by default (TRUSTED_HOSTS null, as Flask), and a 400 for one not listed once set', async (t) => {
  const build = (config: Partial<FlaskConfig>) => {
    const app = new Flask(config);
    app.sessionInterface = new PlainCookieSessionInterface();
    app.get('/', () => 'hello');
    return app;
  };
  const open = await serve(build({}), t);
  assert.equal((await fetchRaw(open.base, '/', { headers: { host: 'evil.example' } })).body, 'hello');
  const strict = await serve(
    build(configFromEnv({ FLASK_TRUSTED_HOSTS: '["app.example"]' }) as Partial<FlaskConfig>),
    t,
  );
  assert.equal((await fetchRaw(strict.base, '/', { headers: { host: 'app.example:8080' } })).body, 'hello');
  const refused = await fetchRaw(strict.base, '/', { headers: { host: 'evil.example' } });
  assert.deepEqual(
    [refused.status, refused.body],
    [400, 'Host "evil.example" is not trusted (TRUSTED_HOSTS).\n'],
  );
  assert.equal(
    (await fetchRaw(strict.base, '/nowhere', { headers: { host: 'evil.example' } })).status,
    400,
    'refused before routing, as in Flask',
  );
});

test('a TRUSTED_HOSTS that is not a list of names stops the app at start-up, naming the key', () => {
  assert.throws(
    () => new Flask({ TRUSTED_HOSTS: 5 as never }),
    /^TypeError: TRUSTED_HOSTS must be a list of host names \(or one\), or null$/,
  );
  assert.throws(
    () => new Flask({ TRUSTED_HOSTS: ['a.example', 5] as never }),
    /^TypeError: TRUSTED_HOSTS must be/,
  );
  assert.equal(
    new Flask(configFromEnv({ FLASK_TRUSTED_HOSTS: 'app.example' }) as Partial<FlaskConfig>).config
      .TRUSTED_HOSTS,
    'app.example',
  );
});

for (const [step, build] of Object.entries(demoApps)) {
  test(`${step}'s demo server answers the loopback names it is reached by and a 400 to any other Host, the inspector included`, async (t) => {
    const { base } = await serve(await build(t), t);
    const port = new URL(base).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      assert.equal((await fetchRaw(base, '/inspect', { headers: { host } })).status, 200, host);
    }
    for (const path of ['/', '/inspect', '/session']) {
      const rebound = await fetchRaw(base, path, { headers: { host: `evil.example:${port}` } });
      assert.deepEqual(
        [rebound.status, rebound.body],
        [400, `Host "evil.example:${port}" is not trusted (TRUSTED_HOSTS).\n`],
        path,
      );
    }
    const anyHost = await serve(await build(t, { TRUSTED_HOSTS: null }), t);
    assert.equal(
      (await fetchRaw(anyHost.base, '/inspect', { headers: { host: 'evil.example' } })).status,
      200,
      'TRUSTED_HOSTS=null answers any host',
    );
  });
}
