import memjs from 'memjs';
import type { SessionStore, StoreClock } from '../store.ts';

/** How to reach memcached: `host:port[,host:port…]`, or a memjs client the app made. */
export interface MemcachedStoreOptions extends StoreClock {
  client: string | memjs.Client;
  /** Bound on connecting and on each operation, in milliseconds. */
  timeoutMs?: number;
}

// #region thirty-day-rule
/** memcached reads an expiry above 30 days as an absolute Unix time, not a number of seconds. */
export const memcachedMaxRelativeSeconds = 30 * 24 * 60 * 60;

/** The `exptime` to send for `ttlSeconds`, as Flask-Session's `_get_memcache_timeout` computes it. */
export function memcachedExptime(ttlSeconds: number, nowMs: number): number {
  const ttl = Math.max(1, Math.trunc(ttlSeconds));
  // 31 days, Flask's default lifetime, sent as 2678400 would mean "1 Feb 1970": already expired.
  return ttl > memcachedMaxRelativeSeconds ? ttl + Math.trunc(nowMs / 1000) : ttl;
}
// #endregion thirty-day-rule

/** Flask-Session's MemcachedSessionInterface storage, on memjs (binary protocol). */
export class MemcachedStore implements SessionStore {
  readonly backend = 'memcached';
  readonly #client: memjs.Client;
  readonly #owned: boolean;
  readonly #now: () => number;

  constructor(options: MemcachedStoreOptions) {
    const seconds = (options.timeoutMs ?? 1000) / 1000;
    this.#owned = typeof options.client === 'string';
    this.#client = typeof options.client === 'string'
      ? memjs.Client.create(options.client, { timeout: seconds, conntimeout: seconds, retries: 1, logger: { log: () => {} } })
      : options.client;
    this.#now = options.now ?? Date.now;
  }

  async get(storeId: string): Promise<Buffer | null> {
    const { value } = await this.#client.get(storeId);
    return value && value.length > 0 ? Buffer.from(value) : null;
  }

  async set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    await this.#client.set(storeId, value, { expires: memcachedExptime(ttlSeconds, this.#now()) });
  }

  async delete(storeId: string): Promise<void> {
    await this.#client.delete(storeId);
  }

  async close(): Promise<void> {
    if (this.#owned) this.#client.close();
  }
}
