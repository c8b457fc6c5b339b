/**
 * What each SQL dialect can hold: which names it keeps whole and which expiry times fit its
 * DATETIME. The SQL store uses these, and so do the start-up checks.
 */
import type { SqlDialect } from './sql-connect.ts';

// PostgreSQL cuts a longer name to 63 bytes without a word (NAMEDATALEN - 1); MySQL and MariaDB
// refuse names over 64 characters; SQLite has no limit.
const maxIdentifierBytes: Record<SqlDialect, number> = { postgres: 63, mysql: 64, sqlite: Infinity };

/** A plain identifier (no quoting needed) that `dialect` keeps whole, so it names exactly this table. */
export function isSqlTableName(name: unknown, dialect: SqlDialect): name is string {
  return (
    typeof name === 'string' &&
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
    Buffer.byteLength(name) <= maxIdentifierBytes[dialect]
  );
}

/** The dialect a `SESSION_SQLALCHEMY` URL names, or undefined for one no driver here takes. */
export function dialectOfUrl(url: string): SqlDialect | undefined {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (url.startsWith('mysql://')) return 'mysql';
  return undefined;
}

/**
 * SQLAlchemy's naive UTC DateTime as text (`2026-01-02 03:04:05.000000`): SQLite stores this exact
 * string, and PostgreSQL/MariaDB parse it without any time zone applied by the driver. Throws
 * RangeError past the year 9999, which neither the text nor MariaDB's DATETIME can hold.
 */
export function sqlExpiry(nowMs: number, ttlSeconds: number): string {
  const iso = new Date(nowMs + ttlSeconds * 1000).toISOString();
  if (!/^\d{4}-/.test(iso)) throw new RangeError('an expiry after the year 9999 does not fit a SQL DATETIME');
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}
