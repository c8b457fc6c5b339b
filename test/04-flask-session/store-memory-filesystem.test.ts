import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FileSystemStore, sessionFileName } from '../../src/04-flask-session/stores/filesystem-store.ts';
import { MemoryStore } from '../../src/04-flask-session/stores/memory-store.ts';
import { storeContract, TestClock } from '../support/store-contract.ts';

const root = await mkdtemp(join(tmpdir(), 'session-lab-fs-'));
after(() => rm(root, { recursive: true, force: true }));
let folders = 0;
const freshDir = (): string => join(root, `store-${folders++}`);

storeContract({
  name: 'memory',
  expiry: 'store',
  cleanup: true,
  open: (clock) => new MemoryStore({ now: clock.now }),
});
storeContract({
  name: 'filesystem',
  expiry: 'store',
  cleanup: true,
  open: (clock) => new FileSystemStore({ dir: freshDir(), now: clock.now }),
});

test('the memory store evicts the least recently used session when it is full', async () => {
  const store = new MemoryStore({ maxEntries: 2 });
  await store.set('a', Buffer.from('A'), 60);
  await store.set('b', Buffer.from('B'), 60);
  await store.get('a'); // a is now more recent than b
  await store.set('c', Buffer.from('C'), 60);
  assert.equal(await store.get('b'), null);
  assert.equal((await store.get('a'))?.toString(), 'A');
  assert.equal((await store.get('c'))?.toString(), 'C');
});

test('a session file is named by the md5 of its store id and readable by its owner only', async () => {
  const dir = freshDir();
  const store = new FileSystemStore({ dir });
  await store.set('session:abc', Buffer.from('data'), 60);
  assert.deepEqual(await readdir(dir), [sessionFileName('session:abc')]);
  assert.equal(sessionFileName('session:abc'), '32607b0dcb9d5a58fbe913b473137833'); // hashlib.md5(b'session:abc').hexdigest()
  assert.equal((await stat(join(dir, sessionFileName('session:abc')))).mode & 0o777, 0o600);
});

test('a store id that looks like a path never leaves the session folder', async () => {
  const dir = freshDir();
  const store = new FileSystemStore({ dir });
  await store.set('session:../../escape', Buffer.from('x'), 60);
  await store.set('session:/etc/passwd\u0000', Buffer.from('y'), 60);
  const names = await readdir(dir);
  assert.equal(names.length, 2);
  for (const name of names) assert.match(name, /^[0-9a-f]{32}$/);
  assert.deepEqual(await readdir(root).then((all) => all.filter((n) => !n.startsWith('store-'))), []);
});

test('the file header is the expiry as a 4-byte little-endian Unix time, as cachelib writes it (rounded up: the file lives its whole lifetime)', async () => {
  const dir = freshDir();
  const clock = new TestClock();
  await new FileSystemStore({ dir, now: clock.now }).set('k', Buffer.from('v'), 100);
  const bytes = await import('node:fs/promises').then((fs) => fs.readFile(join(dir, sessionFileName('k'))));
  assert.equal(bytes.readUInt32LE(0), Math.ceil(clock.ms / 1000) + 100);
  assert.equal(bytes.subarray(4).toString(), 'v');
});

test('over the threshold, expired files go first, then the ones expiring soonest', async () => {
  const dir = freshDir();
  const clock = new TestClock();
  const store = new FileSystemStore({ dir, threshold: 3, now: clock.now });
  await store.set('expired', Buffer.from('e'), 1);
  await store.set('soon', Buffer.from('s'), 100);
  await store.set('late', Buffer.from('l'), 1000);
  clock.advance(10);
  await store.set('new-1', Buffer.from('1'), 500); // 3 files: the expired one goes
  await store.set('new-2', Buffer.from('2'), 500); // 3 live files: the soonest-expiring goes
  assert.equal((await readdir(dir)).length, 3);
  assert.equal(await store.get('soon'), null);
  for (const key of ['late', 'new-1', 'new-2']) assert.ok(await store.get(key), `${key} is kept`);
});

test('a half-written or foreign file in the folder is not a session and breaks nothing', async () => {
  const dir = freshDir();
  const store = new FileSystemStore({ dir });
  await store.set('k', Buffer.from('v'), 60);
  await writeFile(join(dir, sessionFileName('short')), Buffer.from([1, 2]));
  await writeFile(join(dir, 'notes.txt'), 'not a session');
  assert.equal(await store.get('short'), null);
  assert.equal(await store.cleanup(), 0);
  assert.equal((await store.get('k'))?.toString(), 'v');
});
