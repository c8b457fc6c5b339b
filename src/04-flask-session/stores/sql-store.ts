import { sql } from 'kysely';
import { once } from '../once.ts';
import { storedSeconds, type SessionStore, type StoreClock } from '../store.ts';
import { connectSql, dialectOf, type SessionDb, type SqlDialect } from './sql-connect.ts';
import { dialectOfUrl, isSqlTableName, sqlExpiry } from './sql-dialects.ts';

/** `SESSION_SQLALCHEMY` (a Kysely instance or a URL) and `SESSION_SQLALCHEMY_TABLE`. */
export interface SqlStoreOptions extends StoreClock {
  db: string | SessionDb;
  table?: string;
  timeoutMs?: number;
}

/** Flask-Session's SqlAlchemySessionInterface storage, on Kysely: one row per session. */
export class SqlStore implements SessionStore {
  readonly backend = 'sqlalchemy';
  readonly db: SessionDb;
  readonly table: string;
  readonly dialect: SqlDialect;
  readonly #owned: boolean;
  readonly #now: () => number;

  constructor(options: SqlStoreOptions) {
    this.table = options.table ?? 'sessions';
    const dialect = typeof options.db === 'string' ? dialectOfUrl(options.db) : dialectOf(options.db);
    // Checked before connecting, so a refused name leaves no pool open.
    if (dialect && !isSqlTableName(this.table, dialect))
      throw new TypeError(`SESSION_SQLALCHEMY_TABLE must be a plain identifier that ${dialect} keeps whole`);
    this.#owned = typeof options.db === 'string';
    this.db = typeof options.db === 'string' ? connectSql(options.db, options.timeoutMs) : options.db;
    this.dialect = dialectOf(this.db);
    this.#now = options.now ?? Date.now;
  }

  async get(storeId: string): Promise<Buffer | null> {
    await this.#ensureTable();
    const row = await this.db
      .selectFrom(this.table)
      .select('data')
      .where('session_id', '=', storeId)
      .where('expiry', '>', this.#expiry(0))
      .executeTakeFirst();
    return row ? Buffer.from(row.data) : null;
  }

  // #region sql-upsert
  // One statement, so two first requests of one session cannot both INSERT (Flask-Session
  // 0.8 selects, then inserts or updates: the second insert hits the unique constraint).
  async set(storeId: string, value: Buffer, ttlSeconds: number): Promise<void> {
    await this.#ensureTable();
    const row = { session_id: storeId, data: value, expiry: this.#expiry(storedSeconds(ttlSeconds)) };
    const insert = this.db.insertInto(this.table).values(row);
    const update = { data: value, expiry: row.expiry };
    await (
      this.dialect === 'mysql'
        ? insert.onDuplicateKeyUpdate(update)
        : insert.onConflict((conflict) => conflict.column('session_id').doUpdateSet(update))
    ).execute();
  }

  // One UPDATE finds the row only while it is live, and its row count says whether it did.
  // (mysql2 connects with FOUND_ROWS, so MariaDB counts a matched row even if nothing changed.)
  async replace(storeId: string, value: Buffer, ttlSeconds: number): Promise<boolean> {
    await this.#ensureTable();
    const result = await this.db
      .updateTable(this.table)
      .set({ data: value, expiry: this.#expiry(storedSeconds(ttlSeconds)) })
      .where('session_id', '=', storeId)
      .where('expiry', '>', this.#expiry(0))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
  // #endregion sql-upsert

  async delete(storeId: string): Promise<void> {
    await this.#ensureTable();
    await this.db.deleteFrom(this.table).where('session_id', '=', storeId).execute();
  }

  // #region sql-cleanup
  /** `flask session_cleanup`: delete every row whose expiry has passed. */
  async cleanup(): Promise<number> {
    await this.#ensureTable();
    const result = await this.db
      .deleteFrom(this.table)
      .where('expiry', '<=', this.#expiry(0))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  // #endregion sql-cleanup

  async close(): Promise<void> {
    if (this.#owned) await this.db.destroy();
  }

  #expiry(ttlSeconds: number): string {
    return sqlExpiry(this.#now(), ttlSeconds);
  }

  // #region sql-table
  // Flask-Session 0.8's model: id, session_id unique, data, expiry; created if missing.
  readonly #ensureTable = once(async () => {
    const d = this.dialect;
    await this.db.schema
      .createTable(this.table)
      .ifNotExists()
      .addColumn('id', d === 'postgres' ? 'serial' : 'integer', (c) =>
        d === 'mysql' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      )
      // MySQL/MariaDB compare varchar case-insensitively by default (a _ci collation): a sid with one
      // letter's case changed would find the session. Flask-Session's String(255) has that flaw.
      .addColumn('session_id', d === 'mysql' ? sql`varchar(255) collate utf8mb4_bin` : 'varchar(255)', (c) =>
        c.unique(),
      )
      // MEDIUMBLOB on MySQL/MariaDB: SQLAlchemy's BLOB stops at 64 KiB; the bytes are the same.
      .addColumn('data', d === 'postgres' ? 'bytea' : d === 'mysql' ? sql`mediumblob` : 'blob')
      .addColumn('expiry', d === 'postgres' ? 'timestamp' : 'datetime')
      .execute();
  });
  // #endregion sql-table
}
