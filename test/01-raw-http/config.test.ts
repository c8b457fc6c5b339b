import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { configFromEnv, type FlaskConfig } from '../../src/01-raw-http/config.ts';
import { jsonFileTextKeys } from '../../src/03-json-file/config.ts';
import { flaskSessionTextKeys } from '../../src/04-flask-session/config.ts';
import { buildApp } from '../../src/02-signed-cookie/server.ts';
import { URLSafeTimedSerializer } from '../../src/02-signed-cookie/serializer.ts';
import { sessionJsonSerializer } from '../../src/02-signed-cookie/tagged-json.ts';
import { fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

const fromEnv = (env: Record<string, string>) => configFromEnv(env) as Partial<FlaskConfig>;

test('a config value of the wrong type stops the app at start-up, naming the key and never the value', () => {
  assert.throws(
    () => new Flask(fromEnv({ FLASK_PERMANENT_SESSION_LIFETIME: '10s' })),
    /^TypeError: PERMANENT_SESSION_LIFETIME must be a number/,
  );
  assert.throws(
    () => new Flask(fromEnv({ FLASK_MAX_CONTENT_LENGTH: '-1' })),
    /^TypeError: MAX_CONTENT_LENGTH must be/,
  );
  assert.throws(
    () => new Flask(fromEnv({ FLASK_SESSION_COOKIE_SECURE: 'yes' })),
    /^TypeError: SESSION_COOKIE_SECURE must be true or false/,
  );
  assert.throws(
    () => new Flask(fromEnv({ FLASK_SECRET_KEY: 'new', FLASK_SECRET_KEY_FALLBACKS: '[123456]' })),
    (error: Error) =>
      /^SECRET_KEY_FALLBACKS must be a list of keys/.test(error.message) && !error.message.includes('123456'),
  );
  assert.equal(
    new Flask(fromEnv({ FLASK_PERMANENT_SESSION_LIFETIME: '10', FLASK_SECRET_KEY_FALLBACKS: '["old"]' }))
      .config.PERMANENT_SESSION_LIFETIME,
    10,
  );
});

test('SESSION_COOKIE_SAMESITE=None stops the app at start-up unless the cookie is Secure (or Partitioned)', () => {
  assert.throws(
    () => new Flask(fromEnv({ FLASK_SESSION_COOKIE_SAMESITE: 'None' })),
    /^TypeError: SESSION_COOKIE_SAMESITE must be .*only with SESSION_COOKIE_SECURE/,
  );
  assert.equal(
    new Flask(fromEnv({ FLASK_SESSION_COOKIE_SAMESITE: 'none', FLASK_SESSION_COOKIE_SECURE: 'true' })).config
      .SESSION_COOKIE_SECURE,
    true,
  );
  assert.ok(
    new Flask(fromEnv({ FLASK_SESSION_COOKIE_SAMESITE: 'None', FLASK_SESSION_COOKIE_PARTITIONED: 'true' })),
  );
});

test('an empty secret key, text or bytes, is no key: nothing signed with an empty key is believed', async (t) => {
  const forged = new URLSafeTimedSerializer('', {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    serializer: sessionJsonSerializer,
  }).dumps({ user: 'admin' });
  for (const SECRET_KEY of ['', Buffer.alloc(0)]) {
    const warnings: string[] = [];
    const app = buildApp({ SECRET_KEY }, (message) => warnings.push(message));
    captureLogs(app);
    assert.equal(warnings.length, 1, 'the demo warns and makes a development key');
    const { base } = await serve(app, t);
    assert.equal(
      (await fetchRaw(base, '/whoami', { headers: { cookie: `session=${forged}` } })).body,
      'You are nobody. POST /login first.\n',
    );
  }
});

test('a config variable set without FLASK_ is named on stderr, after the listening line', async (t) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../../src/01-raw-http/main.ts')],
    {
      env: { ...process.env, PORT: '0', SESSION_COOKIE_NAME: 'sid', SESSION_MANAGER: 'local/desktop' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  t.after(() => child.kill());
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  assert.match(line.toString(), /^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  const base = line.toString().trim().slice('listening on '.length);
  assert.match(
    (await fetchRaw(base, '/test1/')).setCookies[0]!,
    /^session=/,
    'the cookie keeps its default name',
  );
  if (!stderr.endsWith('\n')) await once(child.stderr, 'data');
  assert.equal(
    stderr,
    'warning: SESSION_COOKIE_NAME is not read; configuration comes from FLASK_-prefixed variables: FLASK_SESSION_COOKIE_NAME\n',
  );
});

test("a key that must be text keeps the variable's text even when it looks like JSON, and each step names its own such keys", () => {
  const env = {
    FLASK_SECRET_KEY: '123',
    FLASK_SESSION_COOKIE_NAME: 'null',
    FLASK_SESSION_IMPL: '1',
    FLASK_SESSION_KEY_PREFIX: '42',
    FLASK_MAX_CONTENT_LENGTH: '2048',
  };
  assert.deepEqual(
    { ...configFromEnv(env) },
    {
      MAX_CONTENT_LENGTH: 2048,
      SECRET_KEY: '123',
      SESSION_COOKIE_NAME: 'null',
      SESSION_IMPL: 1,
      SESSION_KEY_PREFIX: 42,
    },
  );
  assert.equal(configFromEnv(env, jsonFileTextKeys).SESSION_IMPL, '1');
  assert.equal(configFromEnv(env, flaskSessionTextKeys).SESSION_KEY_PREFIX, '42');
  assert.equal(
    configFromEnv(env, flaskSessionTextKeys).SECRET_KEY,
    '123',
    "a later step's list keeps Flask's",
  );
});
