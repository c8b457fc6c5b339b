import { Binary, MongoClient, type Collection } from 'mongodb';
import { once } from '../once.ts';
import { storedSeconds, type SessionStore, type StoreClock } from '../store.ts';

/** `SESSION_MONGODB` (a URL or a MongoClient), `SESSION_MONGODB_DB`, `SESSION_MONGODB_COLLECT`. */
export interface MongoStoreOptions extends StoreClock {
  client: string | MongoClient;
  db?: string;
  collection?: string;
  timeoutMs?: number;
}

/** Flask-Session 0.8's document: `{id, val, expiration}`. */
interface SessionDocument {
  id: string;
  val: Binary;
  expiration: Date;
}

// #region mongodb-store
/**
 * Flask-Session's MongoDBSessionInterface storage. The TTL index deletes expired documents,
 * but its monitor runs only about once a minute, so a read also filters on `expiration`
 * (Flask-Session 0.8 does not, and serves expired sessions meanwhile). The unique index on
 * `id` makes lookups fast and the upsert safe (Flask-Session has none: issue #139).
 */
export class MongoStore implements SessionStore {
  readonly backend = 'mongodb';
  readonly #client: MongoClient;
  readonly #owned: boolean;
  readonly #collection: Collection<SessionDocument>;
  readonly #now: () => number;
  readonly #ensureIndexes = once(() =>
    Promise.all([
      this.#collection.createIndex({ expiration: 1 }, { expireAfterSeconds: 0 }),
      this.#collection.createIndex({ id: 1 }, { unique: true }),
    ]),
  );

  constructor(options: MongoStoreOptions) {
    const timeoutMs = options.timeoutMs ?? 2000;
    this.#owned = typeof options.client === 'string';
    this.#client =
      typeof options.client === 'string'
        ? new MongoClient(options.client, {
            serverSelectionTimeoutMS: timeoutMs,
            connectTimeoutMS: timeoutMs,
            socketTimeoutMS: timeoutMs,
          })
        : options.client;
    this.#collection = this.#client
      .db(options.db ?? 'flask_session')
      .collection<SessionDocument>(options.collection ?? 'sessions');
    this.#now = options.now ?? Date.now;
  }

  async get(storeId: string): Promise<Buffer | null> {
    await this.#ensureIndexes();
    const doc = await this.#collection.findOne({ id: storeId, expiration: { $gt: new Date(this.#now()) } });
    return doc ? Buffer.from(doc.val.buffer) : null;
  }

  async set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    await this.#ensureIndexes();
    const expiration = new Date(this.#now() + storedSeconds(ttlSeconds) * 1000);
    await this.#collection.updateOne(
      { id: storeId },
      { $set: { id: storeId, val: new Binary(value), expiration } },
      { upsert: true },
    );
  }

  // No upsert: the filter matches only a live document, and matchedCount says whether it did.
  async replace(storeId: string, value: Buffer, ttlSeconds: number): Promise<boolean> {
    await this.#ensureIndexes();
    const expiration = new Date(this.#now() + storedSeconds(ttlSeconds) * 1000);
    const live = { id: storeId, expiration: { $gt: new Date(this.#now()) } };
    const result = await this.#collection.updateOne(live, { $set: { val: new Binary(value), expiration } });
    return result.matchedCount === 1;
  }

  async delete(storeId: string): Promise<void> {
    await this.#collection.deleteOne({ id: storeId });
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#client.close();
  }
}
// #endregion mongodb-store
