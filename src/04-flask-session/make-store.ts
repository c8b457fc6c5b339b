import type { Flask } from '../01-raw-http/app.ts';
import { defaultBackends, type FlaskSessionConfig } from './config.ts';
import type { SessionStore } from './store.ts';
import { FileSystemStore } from './stores/filesystem-store.ts';
import { MemcachedStore } from './stores/memcached-store.ts';
import { MongoStore } from './stores/mongodb-store.ts';
import { RedisStore } from './stores/redis-store.ts';
import { SqlStore } from './stores/sql-store.ts';

/**
 * The store a SESSION_TYPE names, configured from that backend's keys. The Redis client starts
 * connecting here and SQLite opens its file here; the other clients connect on their first call.
 */
export function makeStore(type: string, app: Flask<FlaskSessionConfig>): SessionStore {
  const c = app.config;
  const timeoutMs = c.SESSION_BACKEND_TIMEOUT_MS;
  // #region make-store
  switch (type) {
    case 'redis':
      return new RedisStore({
        client: c.SESSION_REDIS ?? defaultBackends.SESSION_REDIS,
        timeoutMs,
        log: (m) => app.logger.warn(m),
      });
    case 'memcached':
      return new MemcachedStore({
        client: c.SESSION_MEMCACHED ?? defaultBackends.SESSION_MEMCACHED,
        timeoutMs,
      });
    case 'filesystem':
      return new FileSystemStore({
        dir: c.SESSION_FILE_DIR,
        threshold: c.SESSION_FILE_THRESHOLD,
        mode: c.SESSION_FILE_MODE,
      });
    // #endregion make-store
    case 'mongodb':
      return new MongoStore({
        client: c.SESSION_MONGODB ?? defaultBackends.SESSION_MONGODB,
        db: c.SESSION_MONGODB_DB,
        collection: c.SESSION_MONGODB_COLLECT,
        timeoutMs,
      });
    case 'sqlalchemy':
      return new SqlStore({
        db: c.SESSION_SQLALCHEMY ?? defaultBackends.SESSION_SQLALCHEMY,
        table: c.SESSION_SQLALCHEMY_TABLE,
        timeoutMs,
      });
    default:
      throw new Error(`no store for SESSION_TYPE ${JSON.stringify(type)}`);
  }
}
