import { defaultBackends, type FlaskSessionConfig } from './config.ts';
import { RedisLeaseLock } from './redis-lock.ts';
import { type LeaseLock, MemoryLeaseLock } from './session-lock.ts';
import { SqlLeaseLock } from './sql-lock.ts';
import type { SessionStore } from './store.ts';
import { createRedisClient, type AnyRedisClient } from './stores/redis-store.ts';
import { SqlStore } from './stores/sql-store.ts';

// #region make-lock
/**
 * The lock `SESSION_LOCK` uses for a backend: Redis and the SQL servers lock where every server
 * process sees it; the others (filesystem, SQLite, memcached, MongoDB) lock inside this process,
 * which is what one server process needs and all that PHP's flock gives a single machine.
 */
export function makeLock(type: string, store: SessionStore, config: FlaskSessionConfig): LeaseLock {
  if (type === 'redis') return new RedisLeaseLock(redisClientFor(config));
  if (store instanceof SqlStore && store.dialect !== 'sqlite') return new SqlLeaseLock(store.db, store.table, store.dialect);
  return new MemoryLeaseLock();
}
// #endregion make-lock

// A client of the lock's own when the app gave a URL; the app's own client otherwise (it closes it).
function redisClientFor(config: FlaskSessionConfig): { client: AnyRedisClient; owned: boolean } {
  const given = config.SESSION_REDIS;
  if (given && typeof given !== 'string') return { client: given, owned: false };
  const client = createRedisClient(given ?? defaultBackends.SESSION_REDIS, config.SESSION_BACKEND_TIMEOUT_MS);
  client.connect().catch(() => {}); // failures arrive as 'error' events; calls fail fast meanwhile
  return { client, owned: true };
}
