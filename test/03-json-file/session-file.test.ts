import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { SessionFile } from '../../src/03-json-file/session-file.ts';
import { StagedFileSystem } from '../../src/03-json-file/staged-fs.ts';

const hour = 3_600_000;

async function folder(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'session-lab-03-file-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a stored entry is read back until it expires, and not after', async (t) => {
  const clock = { now: 1_000_000 };
  const file = new SessionFile({ path: join(await folder(t), 'sessions.json'), now: () => clock.now });
  await file.set('a', { user: 'alice' }, clock.now + hour);
  assert.deepEqual((await file.get('a'))?.data, { user: 'alice' });
  clock.now += hour;
  assert.equal(await file.get('a'), null);
});

test('replace stores over a live entry only: a deleted or expired one stays gone and the file is left as it was', async (t) => {
  const clock = { now: 1_000_000 };
  const path = join(await folder(t), 'sessions.json');
  const file = new SessionFile({ path, now: () => clock.now });
  await file.set('a', { n: 1 }, clock.now + hour);
  assert.equal(await file.replace('a', { n: 2 }, clock.now + 2 * hour), true);
  assert.deepEqual((await file.get('a'))?.data, { n: 2 });
  await file.delete('a');
  const [replaced] = await Promise.all([
    file.replace('a', { n: 3 }, clock.now + hour),
    file.set('b', { n: 1 }, clock.now + hour),
  ]);
  assert.equal(replaced, false);
  assert.equal(await file.get('a'), null);
  clock.now += 2 * hour; // b has expired now
  const before = await readFile(path, 'utf8');
  assert.equal(await file.replace('b', { n: 2 }, clock.now + hour), false);
  assert.equal(await readFile(path, 'utf8'), before, 'nothing was written');
});

test(
  'the file is created inside a new folder, readable by its owner only',
  { skip: process.platform === 'win32' },
  async (t) => {
    const path = join(await folder(t), 'instance', 'sessions.json');
    await new SessionFile({ path }).set('a', { n: 1 }, Date.now() + hour);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(path, '..')), ['sessions.json'], 'no temp file is left next to it');
  },
);

test('a failed write fails its own caller and the writes queued after it still happen', async (t) => {
  const disk = new StagedFileSystem();
  const file = new SessionFile({ path: join(await folder(t), 'sessions.json'), fs: disk.fs });
  disk.crashNextWrite();
  const results = await Promise.allSettled([
    file.set('a', { n: 1 }, Date.now() + hour),
    file.set('b', { n: 2 }, Date.now() + hour),
  ]);
  assert.equal(results[0].status, 'rejected');
  assert.equal(results[1].status, 'fulfilled');
  assert.deepEqual((await file.get('b'))?.data, { n: 2 });
});

test('a corrupt file is moved aside once, logged once, and the store starts empty and keeps working', async (t) => {
  const dir = await folder(t);
  const path = join(dir, 'sessions.json');
  await writeFile(path, '{"a": {"expiresAt": 1, "da');
  const warnings: string[] = [];
  const file = new SessionFile({ path, now: () => 42, logger: { warn: (m) => warnings.push(m) } });
  assert.deepEqual(await Promise.all([file.get('a'), file.get('b'), file.get('c')]), [null, null, null]);
  await file.set('d', { n: 1 }, 42 + hour);
  assert.equal(warnings.length, 1, 'logged exactly once');
  assert.match(warnings[0]!, /sessions\.json\.corrupt-42/);
  assert.equal(
    await readFile(join(dir, 'sessions.json.corrupt-42'), 'utf8'),
    '{"a": {"expiresAt": 1, "da',
    'the bad bytes are kept',
  );
  assert.deepEqual((await file.get('d'))?.data, { n: 1 });
});

test('valid JSON that is not a session file counts as corrupt rather than being overwritten', async (t) => {
  const dir = await folder(t);
  const path = join(dir, 'sessions.json');
  await writeFile(path, '{"a": {"user": "alice"}}');
  const file = new SessionFile({ path, now: () => 7, logger: { warn: () => {} } });
  await file.set('b', { n: 1 }, 7 + hour);
  assert.equal(await readFile(join(dir, 'sessions.json.corrupt-7'), 'utf8'), '{"a": {"user": "alice"}}');
});

test('two hundred concurrent updates all reach the file', async (t) => {
  const file = new SessionFile({ path: join(await folder(t), 'sessions.json') });
  await Promise.all(Array.from({ length: 200 }, (_, i) => file.set(`s${i}`, { i }, Date.now() + hour)));
  const stored = JSON.parse(await readFile(file.path, 'utf8')) as Record<string, unknown>;
  assert.equal(Object.keys(stored).length, 200);
});

test(
  'two SessionFile objects on one file, as two processes would have, lose each other’s updates',
  { timeout: 30_000 },
  async (t) => {
    // The write queue lives in one process's memory: this is why the lesson says "one process only".
    const path = join(await folder(t), 'sessions.json');
    const disk = new StagedFileSystem();
    const first = new SessionFile({ path, fs: disk.fs });
    const second = new SessionFile({ path, fs: disk.fs });
    const held = disk.holdNextWrite();
    const firstWrite = first.set('a', { n: 1 }, Date.now() + hour);
    await held;
    await Promise.all([firstWrite, second.set('b', { n: 2 }, Date.now() + hour)]);
    const stored = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    assert.notDeepEqual(
      Object.keys(stored).sort(),
      ['a', 'b'],
      'both updates survived: the one-process limit no longer holds',
    );
  },
);
