import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { isEntryPoint } from '../01-raw-http/serve.ts';
import { defaultBackends } from '../04-flask-session/config.ts';
import { deleteByPrefix } from './redis-keys.ts';

// `npm run reset`: removes what the lessons' commands and `npm start` leave behind, so a lesson's
// transcript prints for a reader what it printed when it was written.

/** Files and folders the lessons and `npm start` create, relative to the repository's root. */
export const leftovers = [
  'flask_session', // step 04's filesystem store (SESSION_FILE_DIR)
  'instance', // step 03's sessions.json, step 04's SQLite file, and any `.corrupt-` copies
  'src/03-json-file/static/session.json', // the article's store, in the static folder
  'jar',
  'jar2',
  'rjar',
  'words', // curl's cookie jars and the cookie tool's word list
] as const;

/** Removes the leftovers under `root`; returns the ones that were there. */
export function removeLeftovers(root: string): string[] {
  const sqlite = readdirSync(root).filter((name) => name.startsWith('sessions.sqlite3'));
  const found = [...leftovers, ...sqlite].filter((path) => existsSync(join(root, path)));
  for (const path of found) rmSync(join(root, path), { recursive: true, force: true });
  return found;
}

/** Deletes the Redis keys under the sessions' prefix (and their `:lock` keys); null when Redis is not there. */
export async function removeRedisSessions(url: string, prefix: string): Promise<number | null> {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => {});
  if (
    !(await client.connect().then(
      () => true,
      () => false,
    ))
  )
    return null;
  try {
    let removed = 0;
    const counting = {
      scanIterator: (options: { MATCH: string; COUNT: number }) => client.scanIterator(options),
      del: (keys: Array<string | Buffer>) => ((removed += keys.length), client.del(keys)),
    };
    await deleteByPrefix(counting, prefix);
    return removed;
  } finally {
    client.destroy();
  }
}

if (isEntryPoint(import.meta.url)) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const removed = removeLeftovers(root);
  console.log(removed.length ? `removed ${removed.join(', ')}` : 'no files to remove');
  const url = process.env.FLASK_SESSION_REDIS ?? defaultBackends.SESSION_REDIS;
  const prefix = process.env.FLASK_SESSION_KEY_PREFIX ?? 'session:';
  const keys = await removeRedisSessions(url, prefix);
  console.log(
    keys === null
      ? 'Redis not reachable: no keys removed'
      : `removed ${keys} Redis key${keys === 1 ? '' : 's'} under "${prefix}"`,
  );
}
