import { storedSeconds, type SessionStore, type StoreClock } from '../store.ts';

/** Options for the in-memory store. */
export interface MemoryStoreOptions extends StoreClock {
  /** Entries kept at most; the least recently used goes first. */
  maxEntries?: number;
}

/**
 * Sessions in this process's memory, least recently used evicted first. For tests and single
 * process demos: nothing survives a restart and nothing is shared between processes. The cap
 * bounds memory, but anyone can evict real users by creating sessions (express-session #128).
 */
export class MemoryStore implements SessionStore {
  readonly backend = 'memory';
  readonly #entries = new Map<string, { value: Buffer; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  // #region memory-get
  async get(storeId: string): Promise<Buffer | null> {
    const entry = this.#entries.get(storeId);
    if (!entry) return null;
    this.#entries.delete(storeId);
    if (entry.expiresAt <= this.#now()) return null;
    this.#entries.set(storeId, entry); // re-inserted: a Map iterates oldest first, so this is "most recent"
    return Buffer.from(entry.value);
  }
  // #endregion memory-get

  async set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    this.#put(storeId, value, ttlSeconds);
  }

  // The check and the write run without an await between them: nothing else runs in between.
  async replace(storeId: string, value: Buffer, ttlSeconds: number): Promise<boolean> {
    const entry = this.#entries.get(storeId);
    if (!entry || entry.expiresAt <= this.#now()) {
      this.#entries.delete(storeId);
      return false;
    }
    this.#put(storeId, value, ttlSeconds);
    return true;
  }

  async delete(storeId: string): Promise<void> {
    this.#entries.delete(storeId);
  }

  async cleanup(): Promise<number> {
    let removed = 0;
    for (const [storeId, entry] of this.#entries) {
      if (entry.expiresAt <= this.#now()) removed += Number(this.#entries.delete(storeId));
    }
    return removed;
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  // #region memory-put
  #put(storeId: string, value: Buffer, ttlSeconds: number): void {
    this.#entries.delete(storeId);
    this.#entries.set(storeId, {
      value: Buffer.from(value),
      expiresAt: this.#now() + storedSeconds(ttlSeconds) * 1000,
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(oldest);
    }
  }
  // #endregion memory-put
}
