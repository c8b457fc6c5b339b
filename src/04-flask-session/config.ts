import { join } from 'node:path';
import type memjs from 'memjs';
import type { MongoClient } from 'mongodb';
import { flaskTextKeys, type FlaskConfig } from '../01-raw-http/config.ts';
import { defaultSessionMaxBytes } from '../03-json-file/session-size.ts';
import type { SerializationFormat } from './serializer.ts';
import type { SessionDb } from './stores/sql-connect.ts';
import type { AnyRedisClient } from './stores/redis-store.ts';

/**
 * The values `SESSION_TYPE` may take. Flask-Session 0.8 has no cookie type: its default, `null`
 * (0.2–0.6's NullSessionInterface, no session at all), is refused at start-up, as here.
 */
export const sessionTypes = ['redis', 'memcached', 'filesystem', 'mongodb', 'sqlalchemy'] as const;
/** One of `sessionTypes`. */
export type SessionType = (typeof sessionTypes)[number];

// #region config
/** Flask-Session 0.8's config keys (spec §3.2) on top of Flask's; each backend reads its own. */
export interface FlaskSessionConfig extends FlaskConfig {
  SESSION_TYPE: string;
  SESSION_PERMANENT: boolean;
  SESSION_USE_SIGNER: boolean;
  SESSION_KEY_PREFIX: string;
  /** Bytes of randomness in a sid (32 → 43 characters). */
  SESSION_ID_LENGTH: number;
  SESSION_SERIALIZATION_FORMAT: SerializationFormat;
  SESSION_CLEANUP_N_REQUESTS: number | null;
  /** A URL or a node-redis client. */
  SESSION_REDIS: string | AnyRedisClient | null;
  /** `host:port[,host:port]` or a memjs client. */
  SESSION_MEMCACHED: string | memjs.Client | null;
  SESSION_FILE_DIR: string;
  SESSION_FILE_THRESHOLD: number;
  SESSION_FILE_MODE: number;
  /** A URL or a MongoClient. */
  SESSION_MONGODB: string | MongoClient | null;
  SESSION_MONGODB_DB: string;
  SESSION_MONGODB_COLLECT: string;
  /** A Kysely instance or a URL: `sqlite:PATH`, `postgres://…`, `mysql://…`. */
  SESSION_SQLALCHEMY: string | SessionDb | null;
  SESSION_SQLALCHEMY_TABLE: string;
  /** Not in Flask-Session: how long one backend call may take before the request gets a 503. */
  SESSION_BACKEND_TIMEOUT_MS: number;
  /** Not in Flask-Session: the largest session stored, in serialized bytes; a larger one gets a 413. */
  SESSION_MAX_BYTES: number;
}

/** Flask-Session's keys whose value stays text when it looks like JSON (`configFromEnv`), with Flask's. */
export const flaskSessionTextKeys: readonly string[] = [
  ...flaskTextKeys,
  'SESSION_TYPE',
  'SESSION_KEY_PREFIX',
  'SESSION_REDIS',
  'SESSION_MEMCACHED',
  'SESSION_FILE_DIR',
  'SESSION_MONGODB',
  'SESSION_MONGODB_DB',
  'SESSION_MONGODB_COLLECT',
  'SESSION_SQLALCHEMY',
  'SESSION_SQLALCHEMY_TABLE',
];

/** Flask-Session 0.8's defaults. `SESSION_TYPE` left unset is 0.8's `null`, which start-up refuses: name a backend. */
export const flaskSessionDefaults: Omit<FlaskSessionConfig, keyof FlaskConfig> = {
  SESSION_TYPE: 'null',
  SESSION_PERMANENT: true,
  SESSION_USE_SIGNER: false,
  SESSION_KEY_PREFIX: 'session:',
  SESSION_ID_LENGTH: 32,
  SESSION_SERIALIZATION_FORMAT: 'msgpack',
  SESSION_CLEANUP_N_REQUESTS: null,
  SESSION_REDIS: null,
  SESSION_MEMCACHED: null,
  SESSION_FILE_DIR: join(process.cwd(), 'flask_session'),
  SESSION_FILE_THRESHOLD: 500,
  SESSION_FILE_MODE: 0o600,
  SESSION_MONGODB: null,
  SESSION_MONGODB_DB: 'flask_session',
  SESSION_MONGODB_COLLECT: 'sessions',
  SESSION_SQLALCHEMY: null,
  SESSION_SQLALCHEMY_TABLE: 'sessions',
  SESSION_BACKEND_TIMEOUT_MS: 2000,
  SESSION_MAX_BYTES: defaultSessionMaxBytes,
};

/**
 * Where a backend whose key is null is, as Flask-Session's default clients connect: the one table
 * the factory, the lock and the inspector read.
 */
export const defaultBackends = {
  SESSION_REDIS: 'redis://127.0.0.1:6379/0',
  SESSION_MEMCACHED: '127.0.0.1:11211',
  SESSION_MONGODB: 'mongodb://127.0.0.1:27017',
  SESSION_SQLALCHEMY: `sqlite:${join(process.cwd(), 'instance', 'flask_session.sqlite3')}`,
} as const;
// #endregion config
