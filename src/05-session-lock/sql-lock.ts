import { type Kysely, sql } from 'kysely';
import pg from 'pg';
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

/** The channel a PostgreSQL release announces the freed key on (NOTIFY). */
const releasedChannel = 'session_lock_released';

/**
 * `SESSION_LOCK` on PostgreSQL and MariaDB: a lease is a row of `<table>_locks`. The primary key
 * lets one INSERT win; an expired row is taken over, so a dead holder does not block forever.
 * A release wakes a waiter of this process; on PostgreSQL given a URL, it also NOTIFYs every
 * process that LISTENs, each on one connection of its own.
 */
export class SqlLeaseLock implements LeaseLock {
  readonly #db: Kysely<Record<string, LockRow>>;
  readonly #owned: boolean;
  readonly #table: string;
  readonly #dialect: SqlDialect;
  readonly #now: () => number;
  readonly #recheckMs: number;
  readonly #local: LocalLeases;
  readonly #listenUrl: string | undefined;
  #listener: pg.Client | undefined;
  #listening: Promise<void> | undefined;

  /**
   * `owned`: the lock made this connection (from a URL) and closes it; the app's own it leaves open.
   * `url` (PostgreSQL): where to LISTEN; without it, a lease held by another process is looked at
   * again every `recheckMs`.
   */
  constructor(
    db: { db: SessionDb; owned: boolean; url?: string },
    table: string,
    dialect: SqlDialect,
    now = Date.now,
    recheckMs?: number,
  ) {
    this.#db = db.db as unknown as Kysely<Record<string, LockRow>>;
    this.#owned = db.owned;
    this.#table = lockTableName(table);
    this.#dialect = dialect;
    this.#now = now;
    this.#listenUrl = dialect === 'postgres' ? db.url : undefined;
    this.#recheckMs = recheckMs ?? (this.#listenUrl ? 1000 : 100);
    this.#local = new LocalLeases(now);
  }

  async tryAcquire(key: string, token: string, leaseMs: number): Promise<boolean> {
    await this.#ensureTable();
    const now = this.#now();
    const insert = this.#db
      .insertInto(this.#table)
      .values({ lock_key: key, token, expires_at: now + leaseMs });
    let result;
    if (this.#dialect === 'postgres') {
      // One statement: a new row, or an expired one taken over; a live lease is left alone.
      result = await insert
        .onConflict((c) =>
          c
            .column('lock_key')
            .doUpdateSet({ token, expires_at: now + leaseMs })
            .where(sql.ref(`${this.#table}.expires_at`), '<=', now),
        )
        .executeTakeFirst()
        .catch(notDeadlock);
    } else {
      await this.#db
        .deleteFrom(this.#table)
        .where('lock_key', '=', key)
        .where('expires_at', '<=', now)
        .execute()
        .catch(notDeadlock);
      result = await insert.ignore().executeTakeFirst().catch(notDeadlock);
    }
    const taken = Number(result?.numInsertedOrUpdatedRows ?? 0n) === 1;
    if (taken) this.#local.hold(key, token, leaseMs);
    return taken;
  }

  // One UPDATE: it finds our row only while it is ours and unexpired, and tryAcquire's takeover
  // of an expired row cannot match a row this has just extended.
  async renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    const now = this.#now();
    const result = await this.#db
      .updateTable(this.#table)
      .set({ expires_at: now + leaseMs })
      .where('lock_key', '=', key)
      .where('token', '=', token)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    const renewed = Number(result.numUpdatedRows) === 1;
    if (renewed) this.#local.hold(key, token, leaseMs);
    return renewed;
  }

  async release(key: string, token: string): Promise<void> {
    try {
      if (this.#listenUrl) await this.#releaseAndNotify(key, token);
      else
        await this.#db
          .deleteFrom(this.#table)
          .where('lock_key', '=', key)
          .where('token', '=', token)
          .execute();
    } finally {
      // With LISTEN, the notification wakes the next waiter, here or in another process.
      this.#local.release(key, token, !this.#listenUrl);
    }
  }

  // A lease held here is waited for here, with no query. One held elsewhere: the waiter is
  // registered, then reads the row once (gone: try again now; held: until it runs out), and
  // waits for a notification, or `recheckMs` where there is none.
  waitForRelease(key: string, maxMs: number): Promise<void> {
    if (this.#local.isHeld(key) && !this.#listenUrl) return this.#local.wait(key, maxMs, 0);
    const waiter = this.#local.waiters.add(key, Math.min(maxMs, this.#recheckMs));
    this.#listen()
      .then(() =>
        this.#db.selectFrom(this.#table).select('expires_at').where('lock_key', '=', key).executeTakeFirst(),
      )
      .then((row) => (row ? waiter.shorten(Number(row.expires_at) - this.#now()) : waiter.wake()))
      .catch(() => {}); // the backend is away: the waiter tries again within recheckMs and gets the error then
    return waiter.done;
  }

  async close(): Promise<void> {
    await this.#listener?.end().catch(() => {});
    if (this.#owned) await this.#db.destroy();
  }

  // #region sql-notify
  // One statement: the row goes, and its key is announced when that commits.
  async #releaseAndNotify(key: string, token: string): Promise<void> {
    await sql`WITH gone AS (DELETE FROM ${sql.table(this.#table)} WHERE lock_key = ${key} AND token = ${token} RETURNING lock_key)
      SELECT pg_notify(${releasedChannel}, lock_key) FROM gone`.execute(this.#db);
  }
  // #endregion sql-notify

  // One listening connection per lock, opened at the first wait and again after it dropped.
  #listen(): Promise<void> {
    if (!this.#listenUrl) return Promise.resolve();
    this.#listening ??= (async () => {
      const client = (this.#listener = new pg.Client({
        connectionString: this.#listenUrl,
        connectionTimeoutMillis: 2000,
      }));
      const lost = (): void => {
        if (this.#listener !== client) return;
        this.#listener = undefined;
        this.#listening = undefined;
        client.end().catch(() => {});
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (message) => message.payload && this.#local.waiters.wakeOne(message.payload));
      try {
        await client.connect();
        await client.query(`LISTEN ${releasedChannel}`);
      } catch (error) {
        lost();
        throw error;
      }
    })();
    return this.#listening;
  }

  readonly #ensureTable = once(() =>
    this.#db.schema
      .createTable(this.#table)
      .ifNotExists()
      .addColumn('lock_key', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('token', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute(),
  );
}

// Two requests racing for one lease can deadlock inside InnoDB or PostgreSQL: the server aborts
// one of them, which simply did not get the lease this time and asks again.
function notDeadlock(error: { code?: unknown }): undefined {
  if (error.code !== 'ER_LOCK_DEADLOCK' && error.code !== 'ER_LOCK_WAIT_TIMEOUT' && error.code !== '40P01')
    throw error;
  return undefined;
}
