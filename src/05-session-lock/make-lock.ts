import { defaultBackends } from '../04-flask-session/config.ts';
import { createRedisClient, type AnyRedisClient } from '../04-flask-session/stores/redis-store.ts';
import {
  connectSql,
  dialectOf,
  type SessionDb,
  type SqlDialect,
} from '../04-flask-session/stores/sql-connect.ts';
import { dialectOfUrl } from '../04-flask-session/stores/sql-dialects.ts';
import type { SessionLockConfig } from './config.ts';
import { RedisLeaseLock } from './redis-lock.ts';
import { type LeaseLock, MemoryLeaseLock } from './session-lock.ts';
import { SqlLeaseLock } from './sql-lock.ts';

/**
 * The lock `SESSION_LOCK` uses for a backend: Redis and the SQL servers lock where every server
 * process sees it; the others (filesystem, SQLite, memcached, MongoDB) lock inside this process,
 * which is what one server process needs and all that PHP's flock gives a single machine.
 */
export function makeLock(config: SessionLockConfig): LeaseLock {
  const type = String(config.SESSION_TYPE).toLowerCase();
  if (type === 'redis') return new RedisLeaseLock(redisClientFor(config));
  const sql = type === 'sqlalchemy' ? sqlServerFor(config) : undefined;
  if (sql) return new SqlLeaseLock(sql, config.SESSION_SQLALCHEMY_TABLE, sql.dialect);
  return new MemoryLeaseLock();
}

// A client of the lock's own when the app gave a URL; the app's own client otherwise (it closes it).
function redisClientFor(config: SessionLockConfig): { client: AnyRedisClient; owned: boolean } {
  const given = config.SESSION_REDIS;
  if (given && typeof given !== 'string') return { client: given, owned: false };
  const client = createRedisClient(given ?? defaultBackends.SESSION_REDIS, config.SESSION_BACKEND_TIMEOUT_MS);
  client.connect().catch(() => {}); // failures arrive as 'error' events; calls fail fast meanwhile
  return { client, owned: true };
}

type SqlServer = Exclude<SqlDialect, 'sqlite'>;

// The same rule for a SQL server: a pool of the lock's own for a URL, the app's Kysely otherwise; none for SQLite.
function sqlServerFor(
  config: SessionLockConfig,
): { db: SessionDb; owned: boolean; dialect: SqlServer; url?: string } | undefined {
  const given = config.SESSION_SQLALCHEMY ?? defaultBackends.SESSION_SQLALCHEMY;
  const dialect = typeof given === 'string' ? dialectOfUrl(given) : dialectOf(given);
  if (dialect !== 'postgres' && dialect !== 'mysql') return undefined;
  if (typeof given !== 'string') return { db: given, owned: false, dialect };
  return { db: connectSql(given, config.SESSION_BACKEND_TIMEOUT_MS), owned: true, dialect, url: given };
}
