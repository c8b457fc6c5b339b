import type { Kysely } from 'kysely';
import { once } from '../04-flask-session/once.ts';
import type { SessionDb, SqlDialect } from '../04-flask-session/stores/sql-connect.ts';
import { LocalLeases } from './local-leases.ts';
import type { LeaseLock } from './session-lock.ts';

/** The table `SESSION_LOCK` keeps its leases in, beside the sessions table. */
export function lockTableName(table: string): string {
  return `${table}_locks`;
}

interface LockRow {
  lock_key: string;
  token: string;
  expires_at: number;
}

// #region sql-lock
/**
 * `SESSION_LOCK` on PostgreSQL and MariaDB: a lease is a row of `<table>_locks`. The primary key
 * lets one INSERT win; an expired row is deleted first, so a dead holder does not block forever.
 */
export class SqlLeaseLock implements LeaseLock {
  readonly #db: Kysely<Record<string, LockRow>>;
  readonly #owned: boolean;
  readonly #table: string;
  readonly #dialect: SqlDialect;
  readonly #now: () => number;
  readonly #pollMs: number;
  readonly #local: LocalLeases;

  /** `owned`: the lock made this connection (from a URL) and closes it; the app's own it leaves open. */
  constructor(sql: { db: SessionDb; owned: boolean }, table: string, dialect: SqlDialect, now = Date.now, pollMs = 2) {
    this.#db = sql.db as unknown as Kysely<Record<string, LockRow>>;
    this.#owned = sql.owned;
    this.#table = lockTableName(table);
    this.#dialect = dialect;
    this.#now = now;
    this.#pollMs = pollMs;
    this.#local = new LocalLeases(now);
  }

  async tryAcquire(key: string, token: string, leaseMs: number): Promise<boolean> {
    await this.#ensureTable();
    await this.#db.deleteFrom(this.#table).where('lock_key', '=', key).where('expires_at', '<=', this.#now()).execute().catch(notDeadlock);
    const insert = this.#db.insertInto(this.#table).values({ lock_key: key, token, expires_at: this.#now() + leaseMs });
    const result = await (this.#dialect === 'mysql' ? insert.ignore() : insert.onConflict((c) => c.column('lock_key').doNothing()))
      .executeTakeFirst().catch(notDeadlock);
    const taken = Number(result?.numInsertedOrUpdatedRows ?? 0n) === 1;
    if (taken) this.#local.hold(key, token, leaseMs);
    return taken;
  }

  // One UPDATE: it finds our row only while it is ours and unexpired, and the DELETE of an
  // expired row in tryAcquire cannot match a row this has just extended.
  async renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    const now = this.#now();
    const result = await this.#db.updateTable(this.#table).set({ expires_at: now + leaseMs })
      .where('lock_key', '=', key).where('token', '=', token).where('expires_at', '>', now).executeTakeFirst();
    const renewed = Number(result.numUpdatedRows) === 1;
    if (renewed) this.#local.hold(key, token, leaseMs);
    return renewed;
  }

  async release(key: string, token: string): Promise<void> {
    try {
      await this.#db.deleteFrom(this.#table).where('lock_key', '=', key).where('token', '=', token).execute();
    } finally {
      this.#local.release(key, token);
    }
  }

  // As on Redis: a lease held in this process is waited for here, one held elsewhere is polled.
  waitForRelease(key: string, maxMs: number): Promise<void> {
    return this.#local.wait(key, maxMs, this.#pollMs);
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#db.destroy();
  }

  readonly #ensureTable = once(() =>
    this.#db.schema.createTable(this.#table).ifNotExists()
      .addColumn('lock_key', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('token', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute(),
  );
}
// #endregion sql-lock

// Two requests racing for one lease can deadlock inside InnoDB or PostgreSQL: the server aborts
// one of them, which simply did not get the lease this time and asks again.
function notDeadlock(error: { code?: unknown }): undefined {
  if (error.code !== 'ER_LOCK_DEADLOCK' && error.code !== 'ER_LOCK_WAIT_TIMEOUT' && error.code !== '40P01') throw error;
  return undefined;
}
