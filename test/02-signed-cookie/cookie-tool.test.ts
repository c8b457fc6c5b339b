import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { URLSafeTimedSerializer } from '../../src/02-signed-cookie/serializer.ts';
import { sessionJsonSerializer } from '../../src/02-signed-cookie/tagged-json.ts';

const tool = fileURLToPath(new URL('../../src/02-signed-cookie/cookie-tool.ts', import.meta.url));
const vector1 = 'eyJuYW1lIjoiXHU1YzBmXHU2NjBlIiwidXNlcl9pZCI6NDJ9.ZVPxAA.-mKbxyBBL4sNDkv1pv0uKfwaWk4';
const vector1Json = '{"name":"\\u5c0f\\u660e","user_id":42}';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cookie(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', tool, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

test('sign prints exactly the cookie Flask makes for the same session, key and second', async () => {
  const run = await cookie(
    'sign',
    '--secret',
    'test-secret-key',
    '--timestamp',
    '1700000000',
    '{"user_id":42,"name":"小明"}',
  );
  assert.deepEqual(run, { code: 0, stdout: `${vector1}\n`, stderr: '' });
});

test("sign accepts Flask's tags and keeps them as tags", async () => {
  const run = await cookie(
    'sign',
    '--secret',
    'test-secret-key',
    '--timestamp',
    '1700000000',
    '{"t":{" t":[1,"a",[2,3]]}}',
  );
  assert.equal(run.stdout, 'eyJ0Ijp7IiB0IjpbMSwiYSIsWzIsM11dfX0.ZVPxAA.eyhFJ_V2Z7IvWnUBwFFqpw1vtbs\n');
});

test('decode prints the JSON inside any cookie without a key, compressed ones included', async () => {
  const compressed =
    '.eJyrVqpQsqpWUkjJBFMl8fFKVkp5-SUKiQolpQU5qUq1tTpKlchKUjJBagxra2sBIzQSUg.ZVPxAA.9HTa431ci0od3wgGAi30_Nm8ucU';
  assert.deepEqual(await cookie('decode', vector1), { code: 0, stdout: `${vector1Json}\n`, stderr: '' });
  assert.equal(
    (await cookie('decode', compressed)).stdout,
    '{"x":{" di":{" t__":"not a tuple"}},"y":{" di":{" di__":1}}}\n',
  );
});

test('decode says "malformed" and exits 1 for something that is not a readable cookie', async () => {
  for (const bad of ['a.b.c', 'no-dots-at-all', '.bm90emxpYg.ZVPxAA.AAAA']) {
    const run = await cookie('decode', bad);
    assert.equal(run.code, 1, bad);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^malformed: /, bad);
  }
});

test('verify prints the JSON when the signature and age are good, fallback keys included', async () => {
  const [plain, atMaxAge, rotated] = await Promise.all([
    cookie('verify', '--secret', 'test-secret-key', vector1),
    cookie('verify', '--secret', 'test-secret-key', '--max-age', '60', '--now', '1700000060', vector1),
    cookie('verify', '--secret', 'new-key', '--fallback', 'older', '--fallback', 'test-secret-key', vector1),
  ]);
  for (const run of [plain, atMaxAge, rotated])
    assert.deepEqual(run, { code: 0, stdout: `${vector1Json}\n`, stderr: '' });
});

test('verify fails with the reason on stderr and exit 1: bad signature, expired, from the future, malformed', async () => {
  const validJunk = new URLSafeTimedSerializer('k', {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    now: () => 0,
  }).signer.sign('bm90IGpzb24');
  const runs = await Promise.all([
    cookie('verify', '--secret', 'wrong', vector1),
    cookie('verify', '--secret', 'test-secret-key', '--max-age', '60', '--now', '1700000061', vector1),
    cookie('verify', '--secret', 'test-secret-key', '--max-age', '60', '--now', '1699999995', vector1),
    cookie('verify', '--secret', 'k', validJunk),
    cookie('verify', '--secret', 'k', 'not-a-cookie'),
  ]);
  const expected = [
    /^bad signature: /,
    /^expired: Signature age 61 > 60 seconds\n$/,
    /^expired: Signature age -5 < 0 seconds\n$/,
    /^malformed: /,
    /^bad signature: /,
  ];
  runs.forEach((run, i) => {
    assert.equal(run.code, 1, String(i));
    assert.equal(run.stdout, '', String(i));
    assert.match(run.stderr, expected[i]!);
  });
});

test("guess finds the article's SECRET_KEY = '123' in a word list, and exits 1 when no word matches", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cookie-tool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const words = join(dir, 'words.txt');
  await writeFile(words, 'password\r\nsecret\n123\nletmein\n');
  const weak = new URLSafeTimedSerializer('123', {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    serializer: sessionJsonSerializer,
  }).dumps({ user: 'admin' });
  assert.deepEqual(await cookie('guess', '--wordlist', words, weak), {
    code: 0,
    stdout: '123\n',
    stderr: '',
  });
  const strong = await cookie('guess', '--wordlist', words, vector1);
  assert.equal(strong.code, 1);
  assert.equal(strong.stdout, '');
  assert.match(strong.stderr, /no key in .*words\.txt signed this cookie/);
});

test('guess finds a key that is the first word of a list saved with a UTF-8 byte order mark', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cookie-tool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const words = join(dir, 'words.txt');
  await writeFile(words, '\uFEFF123\r\npassword\r\n');
  const weak = new URLSafeTimedSerializer('123', {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    serializer: sessionJsonSerializer,
  }).dumps({ user: 'admin' });
  assert.deepEqual(await cookie('guess', '--wordlist', words, weak), {
    code: 0,
    stdout: '123\n',
    stderr: '',
  });
});

test('bad usage explains itself and exits 2; --help prints the usage and exits 0', async () => {
  const runs = await Promise.all([
    cookie(),
    cookie('frobnicate'),
    cookie('verify', vector1),
    cookie('verify', '--secret', 'k', '--max-age', 'soon', vector1),
    cookie('sign', '--secret', 'k', '[1,2]'),
    cookie('sign', '--secret', 'k', '{not json'),
    cookie('decode'),
    cookie('decode', '--colour', vector1),
    cookie('guess', '--wordlist', '/nonexistent/words', vector1),
  ]);
  for (const run of runs) {
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^error: .+\n\nUsage: npm run -s cookie -- <command>/);
  }
  const help = await cookie('--help');
  assert.equal(help.code, 0);
  assert.match(
    help.stdout,
    /^Usage: .*\n[\s\S]*decode COOKIE[\s\S]*verify --secret K[\s\S]*sign --secret K[\s\S]*guess --wordlist FILE COOKIE/,
  );
});
