import * as fsp from 'node:fs/promises';
import type { Logger } from '../01-raw-http/app.ts';
import type { SessionData } from '../01-raw-http/session.ts';
import { writeFileAtomic } from './atomic-write.ts';
import type { SessionFileSystem } from './file-system.ts';

/** One stored session: the user's data and, beside it (never inside it), when it expires. */
export interface StoredSession {
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly data: SessionData;
}

/** Where the file lives, the clock, the file system, and where to report a corrupt file. */
export interface SessionFileOptions {
  path: string;
  now?: () => number;
  fs?: SessionFileSystem;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * All sessions in one JSON file, done carefully: reads see a whole file, writes are serialized
 * in this process and atomic, expired entries are swept, a corrupt file is moved aside.
 * One process only: the write queue is in memory, so two processes would lose each other's updates.
 */
export class SessionFile {
  readonly path: string;
  readonly #now: () => number;
  readonly #fs: SessionFileSystem;
  readonly #logger: Pick<Logger, 'warn'>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SessionFileOptions) {
    this.path = options.path;
    this.#now = options.now ?? Date.now;
    this.#fs = options.fs ?? fsp;
    this.#logger = options.logger ?? console;
  }

  /** The live entry for `sid`, or null if it is missing or expired. Reads never wait for writes. */
  async get(sid: string): Promise<StoredSession | null> {
    const sessions = parseSessions(await this.#readText());
    // A corrupt file is repaired inside the write queue, so only one request moves it aside.
    if (!sessions) await this.#enqueue(() => this.#load());
    const entry = sessions?.get(sid);
    return entry && entry.expiresAt > this.#now() ? entry : null;
  }

  /** Stores `data` under `sid` until `expiresAt`: for a sid never stored yet. */
  async set(sid: string, data: SessionData, expiresAt: number): Promise<void> {
    await this.update((sessions) => void sessions.set(sid, { expiresAt, data }));
  }

  /** Removes the entry for `sid`, if any. */
  async delete(sid: string): Promise<void> {
    await this.update((sessions) => void sessions.delete(sid));
  }

  /**
   * Stores `data` under `sid` only while a live entry is there; false, and nothing written, when
   * it is gone. Checked inside the queue, so no logout can land between the check and the write.
   */
  replace(sid: string, data: SessionData, expiresAt: number): Promise<boolean> {
    return this.update((sessions) => {
      const entry = sessions.get(sid);
      if (!entry || entry.expiresAt <= this.#now()) return false;
      sessions.set(sid, { expiresAt, data });
      return true;
    });
  }

  // #region update
  /**
   * Read, change, sweep, write: one at a time, so no update is computed from a stale copy.
   * A change that returns false leaves the file as it was.
   */
  update(change: (sessions: Map<string, StoredSession>) => boolean | void): Promise<boolean> {
    return this.#enqueue(async () => {
      const sessions = await this.#load();
      if (change(sessions) === false) return false;
      sweepExpired(sessions, this.#now());
      await writeFileAtomic(this.#fs, this.path, JSON.stringify(Object.fromEntries(sessions)));
      return true;
    });
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    // A failed task fails its own caller; the tasks queued after it still run.
    this.#queue = run.catch(() => undefined);
    return run;
  }
  // #endregion update

  /** The sessions on disk; a corrupt file is moved to `<file>.corrupt-<ms>` and logged, and the store starts empty. */
  async #load(): Promise<Map<string, StoredSession>> {
    const text = await this.#readText();
    const sessions = parseSessions(text);
    if (sessions) return sessions;
    const aside = `${this.path}.corrupt-${this.#now()}`;
    await this.#fs.rename(this.path, aside);
    this.#logger.warn(
      `session file ${this.path} is not a valid session file; moved it to ${aside} and started an empty one`,
    );
    return new Map();
  }

  /** The file's text, or null when there is no file yet. Any other error is the caller's. */
  async #readText(): Promise<string | null> {
    try {
      return await this.#fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

// #region sweep-expired
/** Deletes every entry whose expiry has come: an entry is live only while `expiresAt > now`. */
export function sweepExpired(sessions: Map<string, StoredSession>, now: number): void {
  for (const [sid, entry] of sessions) if (entry.expiresAt <= now) sessions.delete(sid);
}
// #endregion sweep-expired

/** The sessions in `text` (none when text is null), or null when the text is not a valid session file. */
function parseSessions(text: string | null): Map<string, StoredSession> | null {
  if (text === null) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  const sessions = new Map<string, StoredSession>();
  for (const [sid, entry] of Object.entries(parsed)) {
    if (!isObject(entry) || typeof entry.expiresAt !== 'number' || !isObject(entry.data)) return null;
    sessions.set(sid, { expiresAt: entry.expiresAt, data: entry.data });
  }
  return sessions;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
