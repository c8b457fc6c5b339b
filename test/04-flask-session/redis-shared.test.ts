import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { createClient, RESP_TYPES } from 'redis';
import { backendUrls, requireBackend } from '../support/backends.ts';
import { cookieFrom, fetchRaw } from '../support/http.ts';
import { requireService } from '../support/services.ts';
import { startStep } from '../support/spawn-step.ts';

test('two server processes on one Redis share sessions: log in on one, read on the other', async (t) => {
  if (!(await requireBackend(t, 'redis'))) return;
  const env = {
    FLASK_SESSION_TYPE: 'redis',
    FLASK_SESSION_REDIS: backendUrls.redis,
    FLASK_SESSION_KEY_PREFIX: `test:${randomUUID()}:`,
  };
  const [one, two] = await Promise.all([
    startStep('04-flask-session', env, t),
    startStep('04-flask-session', env, t),
  ]);
  const login = await fetchRaw(one, '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=alice',
  });
  assert.equal(login.body, 'Logged in as alice.\n');
  const cookie = cookieFrom(login)!;
  const read = await fetchRaw(two, '/test', { method: 'POST', headers: { cookie } });
  assert.equal(read.body, 'user: alice\n');
  await fetchRaw(two, '/logout', { method: 'POST', headers: { cookie } });
  assert.equal(
    (await fetchRaw(one, '/test', { method: 'POST', headers: { cookie } })).body,
    'user: None\n',
    'logged out everywhere',
  );
});

test('the Redis value this step writes unpacks in Python to the dict Flask-Session 0.8 would have written', async (t) => {
  if (!(await requireBackend(t, 'redis'))) return;
  const python = (code: string, input = '') =>
    spawnSync('/usr/bin/python3', ['-c', code], { input, encoding: 'utf8' });
  if (
    !(await requireService(
      t,
      'Python 3 with msgpack',
      'apt-get install python3-msgpack',
      async () => python('import msgpack').status === 0,
    ))
  )
    return;
  const prefix = `test:${randomUUID()}:`;
  const base = await startStep(
    '04-flask-session',
    { FLASK_SESSION_TYPE: 'redis', FLASK_SESSION_REDIS: backendUrls.redis, FLASK_SESSION_KEY_PREFIX: prefix },
    t,
  );
  const login = await fetchRaw(base, '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=小明',
  });
  const sid = cookieFrom(login)!.slice('session='.length);
  const client = await createClient({ url: backendUrls.redis })
    .withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
    .connect();
  t.after(() => client.destroy());
  const key = `${prefix}${sid}`;
  const value = (await client.get(key)) as Buffer;
  const result = python(
    "import msgpack, sys; print(msgpack.unpackb(bytes.fromhex(sys.stdin.read()), raw=False) == {'_permanent': True, 'user': '小明'})",
    value.toString('hex'),
  );
  assert.equal(result.stdout.trim(), 'True', result.stderr);
  const ttl = await client.ttl(key);
  assert.ok(ttl > 2678400 - 60 && ttl <= 2678400, `TTL ${ttl} is PERMANENT_SESSION_LIFETIME (31 days)`);
  await client.del(key);
});

test('a session Python wrote to Redis, with an int beyond 2^53 and an int dict key, is the same bytes after a read-only request re-saves it', async (t) => {
  if (!(await requireBackend(t, 'redis'))) return;
  const python = (code: string) => spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
  if (
    !(await requireService(
      t,
      'Python 3 with msgpack',
      'apt-get install python3-msgpack',
      async () => python('import msgpack').status === 0,
    ))
  )
    return;
  const prefix = `test:${randomUUID()}:`;
  const sid = 'A'.repeat(43);
  const written = Buffer.from(
    python(
      "import msgpack; print(msgpack.packb({'_permanent': True, 'uid': 1234567890123456789, 'by_id': {7: 'seven'}}, use_bin_type=True).hex())",
    ).stdout.trim(),
    'hex',
  );
  const client = await createClient({ url: backendUrls.redis })
    .withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
    .connect();
  t.after(async () => {
    await client.del(`${prefix}${sid}`);
    client.destroy();
  });
  await client.set(`${prefix}${sid}`, written, { EX: 600 });
  const base = await startStep(
    '04-flask-session',
    { FLASK_SESSION_TYPE: 'redis', FLASK_SESSION_REDIS: backendUrls.redis, FLASK_SESSION_KEY_PREFIX: prefix },
    t,
  );
  const read = await fetchRaw(base, '/session', { headers: { cookie: `session=${sid}` } }); // SESSION_REFRESH_EACH_REQUEST: saved again
  assert.equal(read.status, 200);
  assert.equal(JSON.parse(read.body).uid, '1234567890123456789', 'shown as its digits');
  assert.ok(
    (await client.ttl(`${prefix}${sid}`)) > 600,
    'the request saved it again (the TTL is the session lifetime now)',
  );
  assert.equal(((await client.get(`${prefix}${sid}`)) as Buffer).toString('hex'), written.toString('hex'));
});
