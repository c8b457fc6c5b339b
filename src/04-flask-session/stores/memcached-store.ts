import memjs from 'memjs';
import { SessionTooLarge } from '../../03-json-file/session-size.ts';
import { storedSeconds, type SessionStore, type StoreClock } from '../store.ts';

/** How to reach memcached: `host:port[,host:port…]`, or a memjs client the app made. */
export interface MemcachedStoreOptions extends StoreClock {
  client: string | memjs.Client;
  /** Bound on connecting and on each operation, in milliseconds. */
  timeoutMs?: number;
  /** memcached's item size limit (`-I`, 1 MiB by default); larger sessions are refused here. */
  maxItemBytes?: number;
}

// Room for the key and memcached's own item header inside the item limit.
const itemOverheadBytes = 1024;
// memcached's default item size limit (`-I 1m`).
const defaultMaxItemBytes = 1024 * 1024;

/** Whether a value of `bytes` fits in one memcached item of `maxItemBytes`, with its key and header. */
export function fitsMemcachedItem(bytes: number, maxItemBytes = defaultMaxItemBytes): boolean {
  return bytes + itemOverheadBytes <= maxItemBytes;
}

// #region thirty-day-rule
/** memcached reads an expiry above 30 days as an absolute Unix time, not a number of seconds. */
const memcachedMaxRelativeSeconds = 30 * 24 * 60 * 60;

/** The `exptime` to send for `ttlSeconds`, as Flask-Session's `_get_memcache_timeout` computes it. */
export function memcachedExptime(ttlSeconds: number, nowMs: number): number {
  const ttl = storedSeconds(ttlSeconds);
  // 31 days, Flask's default lifetime, sent as 2678400 would mean "1 Feb 1970": already expired.
  const exptime = ttl > memcachedMaxRelativeSeconds ? ttl + Math.ceil(nowMs / 1000) : ttl;
  if (exptime > 0xffffffff)
    throw new RangeError("an expiry after 2106 does not fit memcached's 4-byte exptime");
  return exptime;
}
// #endregion thirty-day-rule

/** Flask-Session's MemcachedSessionInterface storage, on memjs (binary protocol). */
export class MemcachedStore implements SessionStore {
  readonly backend = 'memcached';
  readonly #client: memjs.Client;
  readonly #owned: boolean;
  readonly #now: () => number;
  readonly #maxItemBytes: number;

  constructor(options: MemcachedStoreOptions) {
    this.#maxItemBytes = options.maxItemBytes ?? defaultMaxItemBytes;
    const seconds = (options.timeoutMs ?? 1000) / 1000;
    this.#owned = typeof options.client === 'string';
    this.#client =
      typeof options.client === 'string'
        ? memjs.Client.create(options.client, {
            timeout: seconds,
            conntimeout: seconds,
            retries: 1,
            logger: { log: () => {} },
          })
        : options.client;
    this.#now = options.now ?? Date.now;
  }

  async get(storeId: string): Promise<Buffer | null> {
    const { value } = await this.#client.get(storeId);
    return value ? Buffer.from(value) : null;
  }

  async set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    this.#checkSize(value);
    await this.#client
      .set(storeId, value, { expires: memcachedExptime(ttlSeconds, this.#now()) })
      .catch((error: Error) => this.#refused(error, value));
  }

  /** memcached's own `replace`: stored only if the key is there; a missing or expired key is NOT_STORED. */
  async replace(storeId: string, value: Buffer, ttlSeconds: number): Promise<boolean> {
    this.#checkSize(value);
    const stored = await this.#client
      .replace(storeId, value, { expires: memcachedExptime(ttlSeconds, this.#now()) })
      .catch((error: Error) => this.#refused(error, value));
    return stored === true;
  }

  async delete(storeId: string): Promise<void> {
    await this.#client.delete(storeId);
  }

  async close(): Promise<void> {
    if (this.#owned) this.#client.close();
  }

  // memcached answers a too-large SET by deleting the value it had: refuse before sending, so
  // the visitor gets a clear error and keeps the session stored so far.
  #checkSize(value: Buffer): void {
    if (!fitsMemcachedItem(value.length, this.#maxItemBytes))
      throw new SessionTooLarge(value.length, `memcached's item size (${this.#maxItemBytes} bytes)`);
  }

  // A server started with a smaller -I than this store was told refuses the item itself.
  #refused(error: Error, value: Buffer): never {
    throw /Value too large/.test(error.message)
      ? new SessionTooLarge(value.length, 'the item size this memcached server takes')
      : error;
  }
}
