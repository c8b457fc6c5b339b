import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createClient } from 'redis';
import { removeLeftovers, removeRedisSessions } from '../../src/tools/reset.ts';
import { backendUrls, requireBackend } from '../support/backends.ts';

test('npm run reset removes the session files, SQLite stores and cookie jars the lessons leave, and nothing else', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'reset-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const made = [
    'flask_session/2fd4e1c67a2d28fced849ee1bb76e739',
    'instance/sessions.json',
    'instance/sessions.json.corrupt-1',
    'jar',
    'rjar',
    'words',
    'sessions.sqlite3',
    'sessions.sqlite3-wal',
    'src/03-json-file/static/session.json',
  ];
  const kept = ['src/03-json-file/static/hello.txt', 'package.json', 'lessons/01-raw-http.md'];
  for (const path of [...made, ...kept]) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), 'x');
  }
  assert.deepEqual(removeLeftovers(root).sort(), [
    'flask_session',
    'instance',
    'jar',
    'rjar',
    'sessions.sqlite3',
    'sessions.sqlite3-wal',
    'src/03-json-file/static/session.json',
    'words',
  ]);
  for (const path of made) assert.equal(existsSync(join(root, path)), false, `${path} is removed`);
  for (const path of kept) assert.equal(existsSync(join(root, path)), true, `${path} is kept`);
});

test("npm run reset deletes the Redis keys under the sessions' prefix and leaves every other key", async (t) => {
  if (!(await requireBackend(t, 'redis'))) return;
  const client = createClient({ url: backendUrls.redis });
  await client.connect();
  const prefix = `reset-test:${randomUUID()}:`;
  const other = `reset-test-other:${randomUUID()}`;
  await client.set(`${prefix}a`, '1');
  await client.set(`${prefix}a:lock`, 'token');
  await client.set(other, '1');
  t.after(async () => {
    await client.del(other);
    client.destroy();
  });
  assert.equal(await removeRedisSessions(backendUrls.redis, prefix), 2);
  assert.equal(await client.exists([`${prefix}a`, `${prefix}a:lock`]), 0);
  assert.equal(await client.get(other), '1');
});

test('npm run reset says so when Redis is not there, instead of failing', async () => {
  assert.equal(await removeRedisSessions('redis://127.0.0.1:1/0', 'session:'), null);
});
