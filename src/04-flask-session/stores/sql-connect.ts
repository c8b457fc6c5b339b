import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  Kysely,
  MysqlAdapter,
  type Generated,
  MysqlDialect,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
} from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';

/** The SQL dialects the SQL backend speaks. */
export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';

/** One row of Flask-Session's `sessions` table (SQLAlchemy model `Session`). */
export interface SessionRow {
  id: Generated<number>;
  session_id: string;
  data: Buffer;
  expiry: string;
}

/** A Kysely instance whose tables are session tables (the name is configurable). */
export type SessionDb = Kysely<Record<string, SessionRow>>;

/**
 * `SESSION_SQLALCHEMY` as a URL: `sqlite:PATH` (better-sqlite3), `postgres://…` (pg) or
 * `mysql://…` (mysql2, also MariaDB). Connecting and each query are bounded by `timeoutMs`.
 */
export function connectSql(url: string, timeoutMs = 2000): SessionDb {
  if (url.startsWith('sqlite:'))
    return new Kysely({
      dialect: new SqliteDialect({ database: openSqlite(url.slice('sqlite:'.length), timeoutMs) }),
    });
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      max: 10,
    });
    pool.on('error', () => {}); // an idle client's socket died (server restart); the pool replaces it
    // A client Kysely has checked out has no pool listener on it (pg-pool takes its own off at
    // checkout): if its connection is dropped then, it emits 'error' to nobody and Node ends the
    // process. The query in flight already fails with that error (a 503), and the pool discards
    // the dead client when it comes back.
    pool.on('connect', (client) => client.on('error', () => {}));
    return new Kysely({ dialect: new PostgresDialect({ pool }) });
  }
  if (url.startsWith('mysql://')) {
    return new Kysely({
      dialect: new MysqlDialect({
        pool: createPool({ uri: url, connectTimeout: timeoutMs, connectionLimit: 10 }),
      }),
    });
  }
  throw new Error(
    'SESSION_SQLALCHEMY must be a Kysely instance or a URL starting with sqlite:, postgres:// or mysql://',
  );
}

function openSqlite(path: string, timeoutMs: number): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: timeoutMs });
  if (path !== ':memory:') db.pragma('journal_mode = WAL'); // readers do not block the writer
  return db;
}

/** Which dialect a Kysely instance speaks, from its adapter. */
export function dialectOf(db: Kysely<never> | SessionDb): SqlDialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  return 'sqlite';
}
