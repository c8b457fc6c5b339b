import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { handWrittenFileLabel } from './hand-written.ts';

/**
 * Fills a fresh app root with `count` other visitors' sessions, in the store's own format, so a
 * measurement starts with that many stored sessions without making that many requests first.
 * Their content never matters: only the measured visitor's own session is read back. A seed
 * that also stores the measured visitor's session returns that visitor's Cookie header.
 */
export type Seed = (root: string, count: number) => Promise<string | void>;

const dayMs = 86_400_000;

// Step 03, the article's port: `static/session.json`, sid → data with `permanent` (Unix seconds).
// The measured visitor is seeded too: the port's first request without a cookie would replace
// the whole file with that one new session (its flaw 3), and measure a file of one.
const articleFile: Seed = async (root, count) => {
  const expires = Math.trunc((Date.now() + dayMs) / 1000);
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) entries[randomUUID()] = { _permanent: true, count: i, permanent: expires };
  const visitor = randomUUID();
  entries[visitor] = { _permanent: true, count: 0, permanent: expires };
  await mkdir(join(root, 'static'), { recursive: true });
  await writeFile(join(root, 'static', 'session.json'), JSON.stringify(entries));
  return `session=${visitor}`;
};

// Step 03, the fixed store: `instance/sessions.json`, sid → { expiresAt (ms), data }.
const fixedFile: Seed = async (root, count) => {
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < count; i++)
    entries[randomUUID()] = { expiresAt: Date.now() + dayMs, data: { _permanent: true, count: i } };
  await mkdir(join(root, 'instance'), { recursive: true });
  await writeFile(join(root, 'instance', 'sessions.json'), JSON.stringify(entries));
};

// Step 04, Flask-Session's filesystem backend: one file per session, named md5(key), a 4-byte
// little-endian expiry (Unix seconds) and then the serialized session.
const fileStore: Seed = async (root, count) => {
  const dir = join(root, 'flask_session');
  await mkdir(dir, { recursive: true });
  const header = Buffer.alloc(4);
  header.writeUInt32LE(Math.trunc((Date.now() + dayMs) / 1000), 0);
  const content = Buffer.concat([header, Buffer.from([0x81, 0xaa, ...Buffer.from('_permanent'), 0xc3])]);
  for (let i = 0; i < count; i += 500) {
    const batch = Array.from({ length: Math.min(500, count - i) }, () =>
      writeFile(join(dir, createHash('md5').update(randomUUID()).digest('hex')), content),
    );
    await Promise.all(batch);
  }
};

/** The seeders, by the bench label of the variant they fill. */
export const seeds: Record<string, Seed> = {
  '03 article port (one JSON file)': articleFile,
  '03 fixed store (one JSON file)': fixedFile,
  '04 filesystem': fileStore,
  [handWrittenFileLabel]: fileStore,
};
