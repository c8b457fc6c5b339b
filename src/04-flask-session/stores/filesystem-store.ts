import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from '../once.ts';
import { storedSeconds, type SessionStore, type StoreClock } from '../store.ts';
import { PerKeyQueue } from './per-key-queue.ts';

/** `SESSION_FILE_DIR`, `SESSION_FILE_THRESHOLD`, `SESSION_FILE_MODE`, as cachelib's FileSystemCache takes them. */
export interface FileSystemStoreOptions extends StoreClock {
  dir: string;
  /** Files kept at most; above it, expired files go first, then those expiring soonest. */
  threshold?: number;
  /** Permission bits of each session file (0o600: only this user may read sessions). */
  mode?: number;
}

const headerBytes = 4;
const tempSuffix = '.tmp';

// #region file-name
/**
 * cachelib's naming: the file is `md5(store_id)` in hex. The client-supplied sid never reaches
 * a path, so `../../etc/passwd` or a NUL byte as a sid cannot escape the folder; the interface
 * also rejects any sid that is not URL-safe base64 before a store sees it.
 */
export function sessionFileName(storeId: string): string {
  return createHash('md5').update(storeId, 'utf8').digest('hex');
}
// #endregion file-name

/**
 * The 4-byte header of a session file stored at `nowMs` for `ttlSeconds`: a whole Unix second,
 * rounded up, so the file lives at least its lifetime. Throws RangeError past 2106, where it ends.
 */
export function expiryHeader(nowMs: number, ttlSeconds: number): Buffer {
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32LE(Math.ceil(nowMs / 1000) + storedSeconds(ttlSeconds), 0);
  return header;
}

/** One file per session: a 4-byte little-endian expiry (Unix seconds, 0 = never), then the bytes. */
export class FileSystemStore implements SessionStore {
  readonly backend = 'filesystem';
  readonly #dir: string;
  readonly #threshold: number;
  readonly #mode: number;
  readonly #now: () => number;
  readonly #ensureDir = once(() => mkdir(this.#dir, { recursive: true, mode: 0o700 }));
  /** The session files as this process counts them; undefined until the first write reads the folder. */
  #fileCount: number | undefined;
  readonly #writes = new PerKeyQueue();

  constructor(options: FileSystemStoreOptions) {
    this.#dir = options.dir;
    this.#threshold = options.threshold ?? 500;
    this.#mode = options.mode ?? 0o600;
    this.#now = options.now ?? Date.now;
  }

  async get(storeId: string): Promise<Buffer | null> {
    const path = join(this.#dir, sessionFileName(storeId));
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null; // no session: immediately, no retries
      throw error;
    });
    if (!bytes || bytes.length < headerBytes) return null;
    if (this.#expired(bytes.readUInt32LE(0))) {
      await this.#remove(path);
      return null;
    }
    return bytes.subarray(headerBytes);
  }

  // #region file-replace
  set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    return this.#writes.run(storeId, () => this.#write(storeId, value, ttlSeconds));
  }

  // The check and the rename are one task among this process's writes to that file, so a delete
  // cannot slip in between. Two server processes sharing one folder are not serialized: a
  // logout in one can still be undone by a save in the other (cachelib has no lock either).
  replace(storeId: string, value: Buffer, ttlSeconds: number): Promise<boolean> {
    return this.#writes.run(storeId, async () => {
      const header = await readHeader(join(this.#dir, sessionFileName(storeId)));
      if (!header || this.#expired(header.readUInt32LE(0))) return false;
      await this.#write(storeId, value, ttlSeconds);
      return true;
    });
  }

  delete(storeId: string): Promise<void> {
    return this.#writes.run(storeId, () => this.#remove(join(this.#dir, sessionFileName(storeId))));
  }
  // #endregion file-replace

  // #region atomic-write
  async #write(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    await this.#ensureDir();
    await this.#prune();
    const header = expiryHeader(this.#now(), ttlSeconds);
    const target = join(this.#dir, sessionFileName(storeId));
    const temp = `${target}.${randomBytes(6).toString('hex')}${tempSuffix}`;
    // Write a private temp file, then rename over the target: a reader sees the old file or the
    // new one, never a half-written one (session-file-store #5, #21). No fsync, as in cachelib:
    // rename is atomic for readers without it, and after a power cut a torn file reads as no
    // session (shorter than its header), never as another's data.
    const isNew = await access(target).then(
      () => false,
      () => true,
    );
    const file = await open(temp, 'wx', this.#mode);
    try {
      await file.writeFile(Buffer.concat([header, value]));
      await file.chmod(this.#mode); // the umask may have narrowed it; never widened
    } finally {
      await file.close();
    }
    await rename(temp, target).catch(async (error: unknown) => {
      await rm(temp, { force: true });
      throw error;
    });
    if (isNew && this.#fileCount !== undefined) this.#fileCount++;
  }
  // #endregion atomic-write

  async cleanup(): Promise<number> {
    const entries = await this.#entries();
    const expired = entries.filter((entry) => this.#expired(entry.expiresAt));
    await Promise.all(expired.map((entry) => rm(entry.path, { force: true })));
    this.#fileCount = entries.length - expired.length;
    return expired.length;
  }

  async close(): Promise<void> {}

  // #region threshold
  // cachelib's `_prune`: over the threshold, drop expired files, then the ones expiring soonest.
  // On a busy site this evicts live sessions: the threshold is a size cap, not a lifetime.
  // Like cachelib's `_file_count`, a running count decides whether to look at all: reading every
  // file's header on every write made each request cost as much as the number of sessions.
  // The count is this process's; files other processes add are found by the next full scan.
  async #prune(): Promise<void> {
    this.#fileCount ??= (await this.#names()).length;
    if (this.#fileCount < this.#threshold) return;
    const entries = await this.#entries();
    const live = entries
      .filter((entry) => !this.#expired(entry.expiresAt))
      .sort((a, b) => a.expiresAt - b.expiresAt);
    const doomed = [
      ...entries.filter((entry) => this.#expired(entry.expiresAt)),
      ...live.slice(0, Math.max(0, live.length - this.#threshold + 1)),
    ];
    await Promise.all(doomed.map((entry) => rm(entry.path, { force: true })));
    this.#fileCount = entries.length - doomed.length;
  }
  // #endregion threshold

  async #remove(path: string): Promise<void> {
    const removed = await unlink(path).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
    );
    if (removed && this.#fileCount !== undefined) this.#fileCount--;
  }

  async #names(): Promise<string[]> {
    const names = await readdir(this.#dir).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? [] : Promise.reject(error),
    );
    return names.filter((name) => /^[0-9a-f]{32}$/.test(name));
  }

  async #entries(): Promise<Array<{ path: string; expiresAt: number }>> {
    const entries = await Promise.all(
      (await this.#names()).map(async (name) => {
        const path = join(this.#dir, name);
        const bytes = await readHeader(path);
        return bytes ? { path, expiresAt: bytes.readUInt32LE(0) } : undefined;
      }),
    );
    return entries.filter((entry) => entry !== undefined);
  }

  #expired(expiresAt: number): boolean {
    return expiresAt !== 0 && expiresAt * 1000 <= this.#now();
  }
}

async function readHeader(path: string): Promise<Buffer | undefined> {
  const file = await open(path, 'r').catch(() => undefined); // removed meanwhile: skip it
  if (!file) return undefined;
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(headerBytes), 0, headerBytes, 0);
    return bytesRead === headerBytes ? buffer : undefined;
  } finally {
    await file.close();
  }
}
