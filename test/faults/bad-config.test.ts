import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { configFromEnv } from '../../src/01-raw-http/config.ts';
import * as step01 from '../../src/01-raw-http/server.ts';
import * as step02 from '../../src/02-signed-cookie/server.ts';
import * as step03 from '../../src/03-json-file/server.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import * as step04 from '../../src/04-flask-session/server.ts';
import { LockingFlaskSession } from '../../src/05-session-lock/extension.ts';
import * as step05 from '../../src/05-session-lock/server.ts';
import { backendUrls } from '../support/backends.ts';

type Step = '01' | '02' | '03' | '04' | '05';

/** Builds a step's demo app from config, the way its main.ts does; a temporary root for step 03. */
async function build(t: TestContext, step: Step, config: Record<string, unknown>): Promise<void> {
  if (step === '01') step01.buildApp(config);
  else if (step === '02') step02.buildApp({ SECRET_KEY: 'k', ...config }, () => {});
  else if (step === '03') {
    const root = await mkdtemp(join(tmpdir(), 'session-lab-config-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    step03.buildApp({ SECRET_KEY: 'k', ...config }, { rootPath: root });
  } else if (step === '04') {
    const extension = new FlaskSession();
    t.after(() => extension.close());
    step04.buildApp({ SECRET_KEY: 'k', ...config }, extension, () => {});
  } else {
    const extension = new LockingFlaskSession();
    t.after(() => extension.close());
    step05.buildApp({ SECRET_KEY: 'k', ...config }, extension, () => {});
  }
}

const longTable = 'a'.repeat(63);
const postgres = { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: backendUrls.postgres };

// [step, key, bad value, the rest of the config]: each of these once passed start-up and then failed every request.
const badValues: Array<[Step, string, unknown, Record<string, unknown>?]> = [
  ['01', 'SESSION_COOKIE_NAME', 'my session'],
  ['01', 'APPLICATION_ROOT', 123],
  ['01', 'SESSION_COOKIE_SAMESITE', 'Bogus'],
  ['01', 'SESSION_COOKIE_DOMAIN', 'example.com; SameSite=None'],
  ['01', 'SESSION_COOKIE_PATH', 'app-root'],
  ['01', 'PERMANENT_SESSION_LIFETIME', 9e12],
  ['01', 'MAX_CONTENT_LENGTH', '1MB'],
  ['01', 'MAX_BUFFERED_CONTENT_LENGTH', 4096],
  ['01', 'REQUEST_TIMEOUT_MS', 0],
  ['01', 'REQUEST_TIMEOUT_MS', '30s'],
  ['02', 'SESSION_COOKIE_SAMESITE', 'Bogus'],
  ['01', 'SECRET_KEY', 12345],
  ['03', 'SESSION_IMPL', 'sqlite'],
  ['03', 'SESSION_USE_SIGNER', 'yes'],
  ['03', 'SESSION_FILE_PATH', 404404],
  ['03', 'MY_SESSION_PATH', 404404],
  ['04', 'SESSION_COOKIE_NAME', 'my session'],
  ['04', 'SESSION_COOKIE_SAMESITE', 'Bogus'],
  ['04', 'APPLICATION_ROOT', 123],
  ['04', 'SESSION_TYPE', 'casandra'],
  ['04', 'SESSION_TYPE', 'null'],
  ['04', 'SESSION_TYPE', null],
  ['05', 'SESSION_TYPE', 'null'],
  ['04', 'SESSION_BACKEND_TIMEOUT_MS', '2s'],
  ['04', 'SESSION_BACKEND_TIMEOUT_MS', -5],
  ['04', 'SESSION_BACKEND_TIMEOUT_MS', 2 ** 31],
  ['04', 'SESSION_FILE_MODE', 'rw'],
  ['04', 'SESSION_FILE_MODE', 0o200],
  ['04', 'SESSION_FILE_THRESHOLD', 0],
  ['04', 'SESSION_FILE_DIR', 404404],
  ['04', 'PERMANENT_SESSION_LIFETIME', 1e10],
  ['04', 'PERMANENT_SESSION_LIFETIME', 1e10, { SESSION_TYPE: 'memcached' }],
  [
    '04',
    'PERMANENT_SESSION_LIFETIME',
    3e11,
    { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: 'sqlite::memory:' },
  ],
  ['04', 'SESSION_SQLALCHEMY_TABLE', 'a'.repeat(64), postgres],
  ['05', 'SESSION_SQLALCHEMY_TABLE', longTable, postgres],
  [
    '04',
    'SESSION_SQLALCHEMY_TABLE',
    'b'.repeat(65),
    { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: backendUrls.mysql },
  ],
  [
    '04',
    'SESSION_SQLALCHEMY_TABLE',
    'sessions; drop',
    { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: 'sqlite::memory:' },
  ],
  ['04', 'SESSION_SQLALCHEMY', 'oracle://scott:tiger-4711@db/x', { SESSION_TYPE: 'sqlalchemy' }],
  ['04', 'SESSION_REDIS', 'redis://:pw-4711@127.0.0.1:99999/0', { SESSION_TYPE: 'redis' }],
  ['04', 'SESSION_MEMCACHED', 'user:pw-4711@127.0.0.1:99999', { SESSION_TYPE: 'memcached' }],
  ['04', 'SESSION_MONGODB', 'mongodb://user:pw-4711@127.0.0.1:99999', { SESSION_TYPE: 'mongodb' }],
  ['04', 'SESSION_MONGODB_DB', 'my.sessions', { SESSION_TYPE: 'mongodb' }],
  ['04', 'SESSION_MONGODB_COLLECT', 'system.sessions', { SESSION_TYPE: 'mongodb' }],
  ['04', 'SESSION_KEY_PREFIX', 'p'.repeat(220), { SESSION_TYPE: 'memcached' }],
  ['04', 'SESSION_KEY_PREFIX', 404404],
  ['04', 'SESSION_ID_LENGTH', 8],
  ['04', 'SESSION_SERIALIZATION_FORMAT', 'pickle'],
  ['04', 'SESSION_CLEANUP_N_REQUESTS', '10'],
  ['04', 'SESSION_PERMANENT', 'yes'],
  ['05', 'SESSION_LOCK', 'yes'],
  ['05', 'SESSION_LOCK_WAIT_MS', '5s'],
  ['05', 'SESSION_LOCK_LEASE_MS', 1500],
  ['05', 'SESSION_BACKEND_TIMEOUT_MS', '2s'],
  ['04', 'SESSION_MAX_BYTES', '64KiB'],
  ['04', 'SESSION_MAX_BYTES', 2 * 1024 * 1024, { SESSION_TYPE: 'memcached' }],
  ['03', 'SESSION_MAX_BYTES', 0],
];

for (const [step, key, value, rest = {}] of badValues) {
  test(`step ${step}: ${key}=${JSON.stringify(value).slice(0, 40)} stops the app at start-up, naming the key and not the value`, async (t) => {
    await assert.rejects(build(t, step, { ...rest, [key]: value }), (error: Error) => {
      assert.match(error.message, new RegExp(`^${key} must be `));
      assert.ok(!error.message.includes(String(value)), `the message shows the value: ${error.message}`);
      return true;
    });
  });
}

test('the values these rules allow still start every step: a lower-case SameSite, a 63-character table, a 57-character one with its _locks, servers with a user', async (t) => {
  await build(t, '01', {
    SESSION_COOKIE_SAMESITE: 'strict',
    SESSION_COOKIE_DOMAIN: '.example.com',
    SESSION_COOKIE_PATH: '/app',
  });
  await build(t, '02', {
    SESSION_COOKIE_SAMESITE: 'none',
    SESSION_COOKIE_SECURE: true,
    PERMANENT_SESSION_LIFETIME: 1e10,
  });
  await build(t, '03', { SESSION_IMPL: 'article' });
  await build(t, '04', { ...postgres, SESSION_SQLALCHEMY_TABLE: longTable });
  await build(t, '05', { ...postgres, SESSION_SQLALCHEMY_TABLE: 'a'.repeat(57) });
  await build(t, '04', { SESSION_TYPE: 'memcached', SESSION_MEMCACHED: `user:pw@${backendUrls.memcached}` });
  await build(t, '04', {
    PERMANENT_SESSION_LIFETIME: 1e10,
    SESSION_TYPE: 'redis',
    SESSION_REDIS: 'redis://127.0.0.1:1/0',
    SESSION_BACKEND_TIMEOUT_MS: 100,
  });
});

test('an environment variable that parses to a bad value is refused the same way', async (t) => {
  await assert.rejects(
    build(t, '04', configFromEnv({ FLASK_SESSION_BACKEND_TIMEOUT_MS: '2s' })),
    /^TypeError: SESSION_BACKEND_TIMEOUT_MS must be /,
  );
  await assert.rejects(
    build(t, '04', configFromEnv({ FLASK_SESSION_FILE_MODE: '"rw"' })),
    /^TypeError: SESSION_FILE_MODE must be /,
  );
  await assert.rejects(
    build(t, '04', configFromEnv({ FLASK_PERMANENT_SESSION_LIFETIME: '1e10' })),
    /^TypeError: PERMANENT_SESSION_LIFETIME must be /,
  );
});

const src = join(import.meta.dirname, '..', '..', 'src');

/** Runs a step's main.ts with PORT=0 and `env`; resolves with its exit code and stderr once it ends. */
function runMain(
  step: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(src, step, 'main.ts')],
      { env: { ...process.env, ...env, PORT: '0' }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
      },
    );
  });
}

// A port no URL parser takes, and a password that must never be printed.
const badUrls: Array<[string, string, string]> = [
  ['SESSION_REDIS', 'redis', 'redis://:pw-4711-secret@127.0.0.1:99999/0'],
  ['SESSION_MEMCACHED', 'memcached', 'user:pw-4711-secret@127.0.0.1:99999'],
  ['SESSION_SQLALCHEMY', 'sqlalchemy', 'postgres://postgres:pw-4711-secret@127.0.0.1:99999/test'],
  ['SESSION_SQLALCHEMY', 'sqlalchemy', 'mysql://root:pw-4711-secret@127.0.0.1:99999/test'],
  ['SESSION_MONGODB', 'mongodb', 'mongodb://user:pw-4711-secret@127.0.0.1:99999'],
];

for (const [key, type, url] of badUrls) {
  test(
    `npm start with a malformed ${url.split(':')[0]} URL in ${key} exits non-zero with one line naming the key, never the password`,
    { timeout: 120_000 },
    async () => {
      const { code, stderr } = await runMain('04-flask-session', {
        FLASK_SESSION_TYPE: type,
        [`FLASK_${key}`]: url,
      });
      assert.notEqual(code, 0);
      assert.doesNotMatch(stderr, /pw-4711-secret/);
      assert.equal(stderr, `error: ${key} must be ${stderr.slice(`error: ${key} must be `.length)}`);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
    },
  );
}

test(
  'a start-up failure of step 01 is one line on stderr and exit status 1',
  { timeout: 120_000 },
  async () => {
    const { code, stderr } = await runMain('01-raw-http', { FLASK_SESSION_COOKIE_NAME: 'my session' });
    assert.equal(code, 1);
    assert.equal(
      stderr,
      "error: SESSION_COOKIE_NAME must be a cookie name: letters, digits and !#$%&'*+-.^_`|~, no space\n",
    );
  },
);
