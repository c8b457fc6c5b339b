/**
 * Flask-Session's keys, checked by `initApp` before any backend connects. A backend's own keys are
 * checked by the rules of that backend's code: its URL by its client's parser, the lifetime by how
 * it writes an expiry, the table name by what its SQL dialect keeps whole.
 */
import { MongoClient } from 'mongodb';
import { RedisClient } from 'redis';
import {
  boolean,
  isText,
  isWhole,
  maxTimerMs,
  orNull,
  someText,
  type ConfigRule,
  type ConfigRules,
} from '../01-raw-http/config-rules.ts';
import { sessionTypes, type FlaskSessionConfig, type SessionType } from './config.ts';
import { generateSid } from './server-side-session.ts';
import { expiryHeader } from './stores/filesystem-store.ts';
import { fitsMemcachedItem, memcachedExptime } from './stores/memcached-store.ts';
import { dialectOf, type SqlDialect } from './stores/sql-connect.ts';
import { dialectOfUrl, isSqlTableName, sqlExpiry } from './stores/sql-dialects.ts';

type Rule = ConfigRule<FlaskSessionConfig>;

const typeOf = (config: FlaskSessionConfig): SessionType =>
  String(config.SESSION_TYPE).toLowerCase() as SessionType;

/** A rule that only the `type` backend reads; other backends ignore the key. */
function forBackend(type: SessionType, rule: Rule): Rule {
  return { must: rule.must, test: (value, config) => typeOf(config) !== type || rule.test(value, config) };
}

/** A client object the app made itself, or a URL the client's own parser takes. */
function clientOrUrl(must: string, parse: (url: string) => unknown): Rule {
  return {
    must: `${must}, or null`,
    test: (value) => value === null || (isText(value) ? (parse(value), true) : typeof value === 'object'),
  };
}

/** A timer's delay: whole milliseconds from `min` up to what setTimeout takes. */
export const milliseconds = (min: number): ConfigRule<unknown> => ({
  must: `a whole number of milliseconds from ${min} to ${maxTimerMs}`,
  test: (v) => isWhole(v, min, maxTimerMs),
});

// memcached's binary protocol refuses a key over 250 bytes; the SQL column is varchar(255).
const maxStoreIdLength: Partial<Record<SessionType, number>> = { memcached: 250, sqlalchemy: 255 };

function sqlDialectOf(config: FlaskSessionConfig): SqlDialect | undefined {
  const db = config.SESSION_SQLALCHEMY;
  if (db === null) return 'sqlite';
  return typeof db === 'string' ? dialectOfUrl(db) : dialectOf(db);
}

// Each backend writes an expiry its own way; the lifetime must give one it can write.
const expiryFits: Partial<Record<SessionType, (ttlSeconds: number) => unknown>> = {
  filesystem: (ttl) => expiryHeader(Date.now(), ttl),
  memcached: (ttl) => memcachedExptime(ttl, Date.now()),
  sqlalchemy: (ttl) => sqlExpiry(Date.now(), ttl),
};

/** Every Flask-Session key, in an order where each rule may rely on the keys above it. */
export const flaskSessionRules: ConfigRules<FlaskSessionConfig> = {
  // Unset is 0.8's default `null`, refused as 0.8 refuses it ("Unrecognized value for SESSION_TYPE").
  SESSION_TYPE: {
    must:
      `one of ${sessionTypes.join(', ')}: Flask-Session 0.8 has no default backend and no cookie type ` +
      "(to keep Flask's signed cookie, leave the extension out)",
    test: (v) => (sessionTypes as readonly unknown[]).includes(String(v).toLowerCase()),
  },
  PERMANENT_SESSION_LIFETIME: {
    must: 'a lifetime whose expiry the backend can store (memcached and the filesystem end in 2106, SQL in 9999)',
    test: (v, config) => (expiryFits[typeOf(config)]?.(v as number), true),
  },
  SESSION_PERMANENT: boolean,
  SESSION_USE_SIGNER: boolean,
  SESSION_ID_LENGTH: { must: 'a whole number of bytes from 16 to 64', test: (v) => isWhole(v, 16, 64) },
  SESSION_KEY_PREFIX: {
    must: "text that, with a sid, fits the backend's key (250 bytes on memcached, 255 characters in SQL)",
    test: (v, config) =>
      isText(v) &&
      Buffer.byteLength(v + generateSid(config.SESSION_ID_LENGTH)) <=
        (maxStoreIdLength[typeOf(config)] ?? Infinity),
  },
  SESSION_SERIALIZATION_FORMAT: { must: "'msgpack' or 'json'", test: (v) => v === 'msgpack' || v === 'json' },
  SESSION_CLEANUP_N_REQUESTS: orNull({
    must: 'a whole number of requests, 0 or more',
    test: (v) => isWhole(v, 0),
  }),
  SESSION_REDIS: forBackend(
    'redis',
    clientOrUrl('a redis:// or rediss:// URL or a node-redis client', (url) => RedisClient.parseURL(url)),
  ),
  SESSION_MEMCACHED: forBackend(
    'memcached',
    clientOrUrl('[user:pass@]host[:port] servers, separated by commas, or a memjs client', parseServers),
  ),
  SESSION_FILE_DIR: forBackend('filesystem', someText),
  SESSION_FILE_THRESHOLD: forBackend('filesystem', {
    must: 'a whole number of files, 1 or more',
    test: (v) => isWhole(v, 1),
  }),
  // The store writes each file with this mode and must read it back: the owner keeps read and write.
  SESSION_FILE_MODE: forBackend('filesystem', {
    must: "permission bits from 0o600 to 0o777 that keep the owner's read and write",
    test: (v) => isWhole(v, 0, 0o777) && (v & 0o600) === 0o600,
  }),
  SESSION_MONGODB: forBackend(
    'mongodb',
    clientOrUrl('a mongodb:// or mongodb+srv:// URL or a MongoClient', (url) => new MongoClient(url)),
  ),
  SESSION_MONGODB_DB: forBackend('mongodb', {
    must: 'a MongoDB database name: up to 63 bytes, none of /\\. "$*<>:|?',
    test: (v) => isText(v) && /^[^/\\. "$*<>:|?\0]{1,63}$/.test(v) && Buffer.byteLength(v) < 64,
  }),
  SESSION_MONGODB_COLLECT: forBackend('mongodb', {
    must: "a MongoDB collection name: no $, not starting with 'system.'",
    test: (v) => isText(v) && /^[^$\0]+$/.test(v) && !v.startsWith('system.'),
  }),
  SESSION_SQLALCHEMY: forBackend(
    'sqlalchemy',
    clientOrUrl('a sqlite:PATH, postgres:// or mysql:// URL or a Kysely instance', parseSqlUrl),
  ),
  SESSION_SQLALCHEMY_TABLE: forBackend('sqlalchemy', {
    must: 'a plain identifier that the database keeps whole (PostgreSQL: 63 bytes, MySQL: 64)',
    test: (v, config) => isSqlTableName(v, sqlDialectOf(config)!),
  }),
  SESSION_BACKEND_TIMEOUT_MS: milliseconds(1),
  SESSION_MAX_BYTES: {
    must: 'a whole number of bytes, 1 or more (on memcached, within its item size: about 1 MiB)',
    test: (v, config) => isWhole(v, 1) && (typeOf(config) !== 'memcached' || fitsMemcachedItem(v)),
  },
};

// memjs splits `[user:pass@]host[:port]` itself and never complains; this is its format, checked.
function parseServers(servers: string): void {
  for (const server of servers.split(',')) {
    const url = new URL(`memcached://${server}`);
    if (!url.hostname || url.pathname || url.search || url.hash) throw new TypeError('not host:port');
  }
}

// pg (through pg-connection-string) and mysql2 both parse their URL with `new URL`.
function parseSqlUrl(url: string): void {
  const dialect = dialectOfUrl(url);
  if (dialect === 'sqlite' && url.length > 'sqlite:'.length) return;
  if (dialect === undefined || dialect === 'sqlite') throw new TypeError('not a SQL URL');
  new URL(url);
}
