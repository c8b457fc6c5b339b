import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Fills a fresh app root with `count` other visitors' sessions, in the store's own format, so a
 * measurement starts with that many stored sessions without making that many requests first.
 * Their content never matters: only the measured visitor's own session is read back.
 */
export type Seed = (root: string, count: number) => Promise<void>;

const dayMs = 86_400_000;

// Step 03, the article's port: `static/session.json`, sid → data with `permanent` (Unix seconds).
const articleFile: Seed = async (root, count) => {
  const expires = Math.trunc((Date.now() + dayMs) / 1000);
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) entries[randomUUID()] = { _permanent: true, count: i, permanent: expires };
  await mkdir(join(root, 'static'), { recursive: true });
  await writeFile(join(root, 'static', 'session.json'), JSON.stringify(entries));
};

// Step 03, the fixed store: `instance/sessions.json`, sid → { expiresAt (ms), data }.
const fixedFile: Seed = async (root, count) => {
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) entries[randomUUID()] = { expiresAt: Date.now() + dayMs, data: { _permanent: true, count: i } };
  await mkdir(join(root, 'instance'), { recursive: true });
  await writeFile(join(root, 'instance', 'sessions.json'), JSON.stringify(entries));
};

/** The seeders, by the bench label of the variant they fill. */
export const seeds: Record<string, Seed> = {
  '03 article port (one JSON file)': articleFile,
  '03 fixed store (one JSON file)': fixedFile,
};
