import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flaskSessionDefaults, type FlaskSessionConfig } from '../../src/04-flask-session/config.ts';
import { whereItLives } from '../../src/04-flask-session/inspector-panel.ts';
import { defaultConfig } from '../../src/01-raw-http/config.ts';

const config = (overrides: Partial<FlaskSessionConfig>): FlaskSessionConfig => ({ ...defaultConfig, ...flaskSessionDefaults, ...overrides });

test('the inspector says where sessions live without ever showing a password from a connection URL', () => {
  const redis = whereItLives(config({ SESSION_TYPE: 'redis', SESSION_REDIS: 'redis://admin:hunter2@db.example:6379/0' }));
  assert.equal(redis, 'Redis at redis://db.example:6379/0');
  const sql = whereItLives(config({ SESSION_TYPE: 'sqlalchemy', SESSION_SQLALCHEMY: 'postgres://app:s3cret@127.0.0.1:5432/test' }));
  assert.equal(sql, 'SQL table sessions at postgres://127.0.0.1:5432/test');
  const mongo = whereItLives(config({ SESSION_TYPE: 'mongodb', SESSION_MONGODB: 'mongodb://u:pw@127.0.0.1:27017' }));
  assert.doesNotMatch(mongo, /pw/);
  assert.equal(whereItLives(config({ SESSION_TYPE: 'redis', SESSION_REDIS: 'not a url with hunter2' })), 'Redis at (a connection string)');
});
