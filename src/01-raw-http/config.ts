import type { ConfigRule, ConfigRules } from './config-rules.ts';

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
  /** Not in Flask: bytes of request bodies held in memory at once, all requests together. */
  MAX_BUFFERED_CONTENT_LENGTH: number;
  /** Not in Flask: how long a client may take to send a request, headers and body (Node's `requestTimeout`). */
  REQUEST_TIMEOUT_MS: number;
  /** Host names the app answers (Flask 3.1); `.example.com` also matches its subdomains; null: any host. */
  TRUSTED_HOSTS: string[] | string | null;
}

/** Flask's `default_config`, except `MAX_CONTENT_LENGTH` and the keys Flask does not have (see above). */
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
  MAX_BUFFERED_CONTENT_LENGTH: 32 * 1024 * 1024,
  REQUEST_TIMEOUT_MS: 30_000,
  TRUSTED_HOSTS: null,
};

/** Flask's `if not app.secret_key`: an empty key, text or bytes, is no key at all. */
export function hasSecretKey(config: {
  SECRET_KEY?: string | Buffer | null;
}): config is { SECRET_KEY: string | Buffer } {
  return config.SECRET_KEY != null && config.SECRET_KEY.length > 0;
}

/**
 * Refuses, at start-up, any value the app could not use, by each key's rule: a cookie name with a
 * space or a lifetime of "10s" would otherwise pass here and then fail every request, or switch
 * expiry off. The error names the key, never the value: it may be a secret.
 */
export function checkConfig<C>(config: C, rules: ConfigRules<C>): void {
  for (const [key, rule] of Object.entries(rules) as Array<[keyof C & string, ConfigRule<C>]>) {
    let passed = false;
    try {
      passed = rule.test(config[key], config);
    } catch {
      // A rule that calls the code using the value fails by throwing; its message may quote the value.
    }
    if (!passed) throw new TypeError(`${key} must be ${rule.must}`);
  }
}

/** Flask's keys whose value is text even when it looks like JSON: FLASK_SECRET_KEY=123 is "123", not 123. */
export const flaskTextKeys: readonly string[] = [
  'SECRET_KEY',
  'SESSION_COOKIE_NAME',
  'SESSION_COOKIE_DOMAIN',
  'SESSION_COOKIE_PATH',
];

/**
 * Flask's `from_prefixed_env`: `FLASK_X=value` sets `X`, parsed as JSON when it parses, except
 * the keys in `textKeys` (each step names its own, on top of Flask's).
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv,
  textKeys: readonly string[] = flaskTextKeys,
  prefix = 'FLASK_',
): Record<string, unknown> {
  const config: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (!name.startsWith(prefix) || raw === undefined) continue;
    const key = name.slice(prefix.length);
    if (!key || key === '__proto__') continue;
    config[key] = textKeys.includes(key) ? raw : parseJsonOrText(raw);
  }
  return config;
}

function parseJsonOrText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
