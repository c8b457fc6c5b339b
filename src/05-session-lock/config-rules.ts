/**
 * The lock's keys, checked by `LockingFlaskSession.initApp` after step 04's keys and before any
 * backend connects.
 */
import { boolean, isWhole, maxTimerMs, type ConfigRules } from '../01-raw-http/config-rules.ts';
import { milliseconds } from '../04-flask-session/config-rules.ts';
import { dialectOf } from '../04-flask-session/stores/sql-connect.ts';
import { dialectOfUrl, isSqlTableName } from '../04-flask-session/stores/sql-dialects.ts';
import type { SessionLockConfig } from './config.ts';
import { lockTableName } from './sql-lock.ts';

/** The lock table of a SQL server: `SESSION_SQLALCHEMY_TABLE` + `_locks`, a name the server keeps whole. */
function lockTableFits(table: unknown, config: SessionLockConfig): boolean {
  const db = config.SESSION_SQLALCHEMY;
  if (!config.SESSION_LOCK || String(config.SESSION_TYPE).toLowerCase() !== 'sqlalchemy' || db === null)
    return true;
  const dialect = typeof db === 'string' ? dialectOfUrl(db) : dialectOf(db);
  return (
    dialect === 'sqlite' || (dialect !== undefined && isSqlTableName(lockTableName(String(table)), dialect))
  );
}

/** The lock's keys, in an order where each rule may rely on the keys above it. */
export const sessionLockRules: ConfigRules<SessionLockConfig> = {
  SESSION_LOCK: boolean,
  SESSION_SQLALCHEMY_TABLE: {
    must: 'a table name the database keeps whole with _locks added, for SESSION_LOCK (PostgreSQL: 63 bytes, MySQL: 64)',
    test: lockTableFits,
  },
  SESSION_LOCK_WAIT_MS: milliseconds(0),
  // A save renews the lease, then writes within SESSION_BACKEND_TIMEOUT_MS: the lease must outlast that write.
  SESSION_LOCK_LEASE_MS: {
    must: `longer than SESSION_BACKEND_TIMEOUT_MS, in whole milliseconds up to ${maxTimerMs}`,
    test: (v, config) =>
      isWhole(v, 1, maxTimerMs) && (!config.SESSION_LOCK || v > config.SESSION_BACKEND_TIMEOUT_MS),
  },
};
