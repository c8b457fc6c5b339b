import { createClient, RESP_TYPES, type RedisClientType } from 'redis';
import { storedSeconds, type SessionStore } from '../store.ts';

/** Any node-redis client (its modules and type mapping do not matter here). */
export type AnyRedisClient = RedisClientType<any, any, any, any, any>;

/** How to reach Redis: a URL, or a client the app already made (and closes itself). */
export interface RedisStoreOptions {
  client: string | AnyRedisClient;
  /** Bound on connecting and on each command, in milliseconds. */
  timeoutMs?: number;
  /** Told once when Redis goes away and once when it is back; never the URL. */
  log?: (message: string) => void;
}

// #region redis-client
/**
 * A node-redis client that fails fast while Redis is down: `disableOfflineQueue` rejects
 * commands instead of queueing them until reconnection (the hang of connect-redis #373). A Redis
 * that accepts but never answers cannot hang a request either: the store guard bounds every call
 * (node-redis' own per-command timeout, on by default, costs an AbortSignal per command: a tenth of
 * this backend's CPU per request). Once connected, reconnection goes on in the background by itself.
 */
export function createRedisClient(
  url: string,
  timeoutMs = 1000,
  log: (m: string) => void = () => {},
): AnyRedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
    commandOptions: { timeout: 0 }, // node-redis' default is 5 s per command, with an AbortSignal each
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) log(`session backend redis is unavailable (${error.name}: ${error.message}); reconnecting`);
    down = true;
  });
  client.on('ready', () => {
    if (down) log('session backend redis is back');
    down = false;
  });
  return client as AnyRedisClient;
}
// #endregion redis-client

/** Flask-Session's RedisSessionInterface storage: `SET store_id value EX ttl`, `GET`, `DEL`; and `SET … XX` to replace. */
export class RedisStore implements SessionStore {
  readonly backend = 'redis';
  readonly #client: AnyRedisClient;
  readonly #owned: boolean;
  /** Until the first connection, commands wait for it (bounded by the guard's timeout). */
  #firstConnect: Promise<void> | undefined;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.#owned = typeof options.client === 'string';
    const client =
      typeof options.client === 'string'
        ? createRedisClient(options.client, options.timeoutMs, options.log)
        : options.client;
    if (this.#owned) {
      // Wait for the first connection attempt, not for success: once it has failed, commands
      // fail fast (offline queue disabled) instead of each waiting out the timeout.
      this.#firstConnect = new Promise<void>((resolve) => {
        client.once('error', () => resolve());
        client.connect().then(
          () => {
            if (this.#closed) client.destroy(); // closed while still connecting
            resolve();
          },
          () => resolve(),
        );
      }).then(() => (this.#firstConnect = undefined));
    }
    this.#client = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }) as AnyRedisClient;
  }

  // #region redis-commands
  // Raw `sendCommand` rather than `client.get` / `client.set`: the typed methods build a command
  // parser and transform the reply on every call, which costs as much CPU again as the command
  // itself, and these run twice on every request. Plain functions rather than async ones, too:
  // an async function adds promises of its own around the client's.
  get(storeId: string): Promise<Buffer | null> {
    if (this.#firstConnect) return this.#firstConnect.then(() => this.get(storeId));
    return this.#client
      .sendCommand(['GET', storeId])
      .then((value) => (Buffer.isBuffer(value) ? value : null));
  }

  set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    if (this.#firstConnect) return this.#firstConnect.then(() => this.set(storeId, value, ttlSeconds));
    return this.#client
      .sendCommand(['SET', storeId, value, 'EX', String(storedSeconds(ttlSeconds))])
      .then(() => {});
  }

  // XX: only if the key exists (an expired key does not); Redis answers nil when it did nothing.
  replace(storeId: string, value: Buffer, ttlSeconds: number): Promise<boolean> {
    if (this.#firstConnect) return this.#firstConnect.then(() => this.replace(storeId, value, ttlSeconds));
    return this.#client
      .sendCommand(['SET', storeId, value, 'EX', String(storedSeconds(ttlSeconds)), 'XX'])
      .then((reply) => reply !== null);
  }

  delete(storeId: string): Promise<void> {
    if (this.#firstConnect) return this.#firstConnect.then(() => this.delete(storeId));
    return this.#client.sendCommand(['DEL', storeId]).then(() => {});
  }
  // #endregion redis-commands

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#owned && this.#client.isOpen) this.#client.destroy();
  }
}
