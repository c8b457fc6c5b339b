/**
 * Flask's configuration keys that sessions depend on, with Flask 3.1's defaults, and the
 * `FLASK_`-prefixed environment reader (`app.config.from_prefixed_env()`).
 */
export interface FlaskConfig {
  SECRET_KEY: string | Buffer | null;
  /** Old keys that still verify (Flask 3.1+); ordered oldest to newest. */
  SECRET_KEY_FALLBACKS: Array<string | Buffer> | null;
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_DOMAIN: string | null;
  SESSION_COOKIE_PATH: string | null;
  SESSION_COOKIE_HTTPONLY: boolean;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_SAMESITE: 'Strict' | 'Lax' | 'None' | null;
  SESSION_COOKIE_PARTITIONED: boolean;
  /** Seconds. Flask also takes a timedelta; here it is always a number. */
  PERMANENT_SESSION_LIFETIME: number;
  SESSION_REFRESH_EACH_REQUEST: boolean;
  APPLICATION_ROOT: string;
  MAX_COOKIE_SIZE: number;
  /** Bytes of request body accepted. Flask's default is unlimited; here 1 MiB. */
  MAX_CONTENT_LENGTH: number;
}

/** Flask's `default_config`, except `MAX_CONTENT_LENGTH` (see above). */
export const defaultConfig: FlaskConfig = {
  SECRET_KEY: null,
  SECRET_KEY_FALLBACKS: null,
  SESSION_COOKIE_NAME: 'session',
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: null,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_SAMESITE: null,
  SESSION_COOKIE_PARTITIONED: false,
  PERMANENT_SESSION_LIFETIME: 31 * 24 * 60 * 60,
  SESSION_REFRESH_EACH_REQUEST: true,
  APPLICATION_ROOT: '/',
  MAX_COOKIE_SIZE: 4093,
  MAX_CONTENT_LENGTH: 1024 * 1024,
};

/** Flask's `if not app.secret_key`: an empty key, text or bytes, is no key at all. */
export function hasSecretKey(config: { SECRET_KEY?: string | Buffer | null }): config is { SECRET_KEY: string | Buffer } {
  return config.SECRET_KEY != null && config.SECRET_KEY.length > 0;
}

// #region check-config
/**
 * Refuses, at start-up, a value of the wrong type for a key sessions depend on: a lifetime of
 * "10s" would otherwise switch expiry off, and a number among the old keys would fail every
 * request. The error names the key, never the value: it may be a secret.
 */
export function checkConfig(config: FlaskConfig): void {
  const isKey = (key: unknown): boolean => typeof key === 'string' || Buffer.isBuffer(key);
  const fail = (key: keyof FlaskConfig, what: string): never => {
    throw new TypeError(`${key} must be ${what}`);
  };
  if (config.SECRET_KEY !== null && !isKey(config.SECRET_KEY)) fail('SECRET_KEY', 'text or bytes');
  const fallbacks: unknown = config.SECRET_KEY_FALLBACKS;
  if (fallbacks !== null && !(Array.isArray(fallbacks) && fallbacks.every(isKey))) fail('SECRET_KEY_FALLBACKS', 'a list of keys (text or bytes), oldest first');
  for (const key of ['PERMANENT_SESSION_LIFETIME', 'MAX_COOKIE_SIZE', 'MAX_CONTENT_LENGTH'] as const) {
    if (typeof config[key] !== 'number' || !(config[key] >= 0) || !Number.isFinite(config[key])) fail(key, 'a number of seconds or bytes, 0 or more');
  }
  for (const key of ['SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_PARTITIONED', 'SESSION_REFRESH_EACH_REQUEST'] as const) {
    if (typeof config[key] !== 'boolean') fail(key, 'true or false');
  }
}
// #endregion check-config

// #region from-prefixed-env
// Keys whose value is text even when it looks like JSON: FLASK_SECRET_KEY=123 is "123", not 123.
const textKeys = /(^SECRET_KEY$|_NAME$|_PREFIX$|_PATH$|_DIR$|_URL$|_DOMAIN$|^SESSION_TYPE$|^SESSION_REDIS$|^SESSION_MEMCACHED$|^SESSION_SQLALCHEMY$|^SESSION_MONGODB$|_DB$|_COLLECT$|_TABLE$|_IMPL$)/;

/** Flask's `from_prefixed_env`: `FLASK_X=value` sets `X`, parsed as JSON when it parses. */
export function configFromEnv(env: NodeJS.ProcessEnv, prefix = 'FLASK_'): Record<string, unknown> {
  const config: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (!name.startsWith(prefix) || raw === undefined) continue;
    const key = name.slice(prefix.length);
    if (!key || key === '__proto__') continue;
    config[key] = textKeys.test(key) ? raw : parseJsonOrText(raw);
  }
  return config;
}
// #endregion from-prefixed-env

function parseJsonOrText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
