import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig } from '../../src/01-raw-http/config.ts';
import { flaskSessionDefaults, type FlaskSessionConfig } from '../../src/04-flask-session/config.ts';
import { whereItLives } from '../../src/inspector/steps/04-flask-session.ts';

const config = (overrides: Partial<FlaskSessionConfig>): FlaskSessionConfig => ({
  ...defaultConfig,
  ...flaskSessionDefaults,
  ...overrides,
});
const hidden = '(a connection string, not shown)';

test('the inspector says where sessions live (scheme, hosts, port, database or path) and never a credential, however it is written', () => {
  const cases: Array<[given: Partial<FlaskSessionConfig>, shown: string, secrets: string[]]> = [
    [
      { SESSION_TYPE: 'redis', SESSION_REDIS: 'redis://admin:hunter2@db.example:6379/0' },
      'Redis at redis://db.example:6379/0',
      ['admin', 'hunter2'],
    ],
    [
      { SESSION_TYPE: 'redis', SESSION_REDIS: 'rediss://:hunter2@db.example:6380/2#x' },
      'Redis at rediss://db.example:6380/2',
      ['hunter2'],
    ],
    [
      { SESSION_TYPE: 'redis', SESSION_REDIS: 'redis://u:p%40ss@[::1]:6379/0?password=hunter2' },
      'Redis at redis://[::1]:6379/0',
      ['p%40ss', 'hunter2'],
    ],
    [{ SESSION_TYPE: 'redis', SESSION_REDIS: null }, 'Redis at redis://127.0.0.1:6379/0', []],
    [
      { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: 'postgres://app:s3cret@127.0.0.1:5432/test' },
      'SQL table sessions at postgres://127.0.0.1:5432/test',
      ['app', 's3cret'],
    ],
    [
      {
        SESSION_TYPE: 'sqlalchemy',
        SESSION_SQLALCHEMY: 'postgres://127.0.0.1:5432/test?user=app&password=s3cret',
      },
      'SQL table sessions at postgres://127.0.0.1:5432/test',
      ['app', 's3cret'],
    ],
    [
      {
        SESSION_TYPE: 'sqlalchemy',
        SESSION_SQLALCHEMY: 'postgresql:///test?host=/run/postgresql&password=s3cret',
      },
      'SQL table sessions at postgresql:///test',
      ['s3cret'],
    ],
    [
      {
        SESSION_TYPE: 'sqlalchemy',
        SESSION_SQLALCHEMY: 'mysql://root:s3cret@127.0.0.1:3306/test?ssl=true#s3cret',
      },
      'SQL table sessions at mysql://127.0.0.1:3306/test',
      ['root', 's3cret'],
    ],
    [
      { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: 'sqlite:/var/lib/lab/sessions.sqlite3?key=s3cret' },
      'SQL table sessions at sqlite:/var/lib/lab/sessions.sqlite3',
      ['s3cret'],
    ],
    [
      {
        SESSION_TYPE: 'mongodb',
        SESSION_MONGODB: 'mongodb://u:s3cret@h1:27017,h2:27017/admin?replicaSet=rs0&authSource=admin',
      },
      'MongoDB flask_session.sessions at mongodb://h1:27017,h2:27017/admin',
      ['u:', 's3cret', 'rs0'],
    ],
    [
      {
        SESSION_TYPE: 'mongodb',
        SESSION_MONGODB: 'mongodb+srv://u:s3cret@cluster0.example.net/?retryWrites=true',
      },
      'MongoDB flask_session.sessions at mongodb+srv://cluster0.example.net/',
      ['s3cret'],
    ],
    [
      { SESSION_TYPE: 'memcached', SESSION_MEMCACHED: 'lab:s3cret@mc1.example:11211,lab:s3cret@mc2.example' },
      'memcached at mc1.example:11211,mc2.example',
      ['lab', 's3cret'],
    ],
    [{ SESSION_TYPE: 'memcached', SESSION_MEMCACHED: '127.0.0.1:11211' }, 'memcached at 127.0.0.1:11211', []],
    // Written so that a URL parser would take part of the password for a host or a path: not shown at all.
    [
      { SESSION_TYPE: 'redis', SESSION_REDIS: 'redis://:hun/ter2@db.example:6379' },
      `Redis at ${hidden}`,
      ['hun', 'ter2'],
    ],
    [
      { SESSION_TYPE: 'redis', SESSION_REDIS: 'redis://admin/x:hunter2@db.example' },
      `Redis at ${hidden}`,
      ['hunter2'],
    ],
    [
      { SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: 'postgres://app:s3c?ret@127.0.0.1/test' },
      `SQL table sessions at ${hidden}`,
      ['s3c', 'ret'],
    ],
    [{ SESSION_TYPE: 'memcached', SESSION_MEMCACHED: 'lab:s3cret' }, `memcached at ${hidden}`, ['s3cret']],
    [{ SESSION_TYPE: 'redis', SESSION_REDIS: 'not a url with hunter2' }, `Redis at ${hidden}`, ['hunter2']],
  ];
  for (const [given, expected, secrets] of cases) {
    const shown = whereItLives(config(given));
    assert.equal(shown, expected, JSON.stringify(given));
    for (const secret of secrets) assert.ok(!shown.includes(secret), `${shown} shows ${secret}`);
  }
});
