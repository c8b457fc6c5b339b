/**
 * What each config key must hold, checked once at start-up by `checkConfig`. Where a value is
 * used by some function (a cookie name by `dumpCookie`), the rule calls that function, so a value
 * that passes here cannot fail on every request later.
 */
import type { FlaskConfig } from './config.ts';
import { cookieSameSite, isCookieName, normalizeDomain } from './cookies.ts';

/** One key's rule: what the value must be, in words for the error, and the test (a throw fails it). */
export interface ConfigRule<C> {
  readonly must: string;
  test(value: unknown, config: C): boolean;
}

/** Rules by key, checked in this order (a rule may rely on the keys checked before it). */
export type ConfigRules<C> = { readonly [K in keyof C]?: ConfigRule<C> };

/** Text (a string). */
export const isText = (value: unknown): value is string => typeof value === 'string';
/** A key for signing: text or bytes. */
const isKey = (value: unknown): boolean => isText(value) || Buffer.isBuffer(value);
/** A whole number from `min` to `max`. */
export const isWhole = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
/** A number of seconds or bytes: finite, 0 or more. */
const isAmount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
/** setTimeout's range: a longer delay is silently cut to 1 ms. */
export const maxTimerMs = 2 ** 31 - 1;
/** A URL path: text that starts with `/` (a browser ignores a cookie Path that does not, RFC 6265 §5.2.4). */
const isPath = (value: unknown): boolean => isText(value) && value.startsWith('/');

/** A rule that also accepts null (Flask's "not set"). */
export function orNull<C>(rule: ConfigRule<C>): ConfigRule<C> {
  return {
    must: `${rule.must}, or null`,
    test: (value, config) => value === null || rule.test(value, config),
  };
}

/** `true` or `false`, nothing that merely looks like one ("yes", 1). */
export const boolean: ConfigRule<unknown> = {
  must: 'true or false',
  test: (value) => typeof value === 'boolean',
};
/** Text of one or more characters. */
export const someText: ConfigRule<unknown> = { must: 'text', test: (value) => isText(value) && value !== '' };

/** Flask's keys that sessions depend on, each checked by the rule of the code that uses it. */
export const flaskConfigRules: ConfigRules<FlaskConfig> = {
  SECRET_KEY: orNull({ must: 'text or bytes', test: isKey }),
  SECRET_KEY_FALLBACKS: orNull({
    must: 'a list of keys (text or bytes), oldest first',
    test: (v) => Array.isArray(v) && v.every(isKey),
  }),
  SESSION_COOKIE_NAME: {
    must: "a cookie name: letters, digits and !#$%&'*+-.^_`|~, no space",
    test: isCookieName,
  },
  SESSION_COOKIE_DOMAIN: {
    must: 'a host name, or null',
    test: (v) => v === null || v === '' || (isText(v) && normalizeDomain(v) !== ''),
  },
  SESSION_COOKIE_PATH: {
    must: 'a path starting with /, or null',
    test: (v) => v === null || v === '' || isPath(v),
  },
  SESSION_COOKIE_HTTPONLY: boolean,
  SESSION_COOKIE_SECURE: boolean,
  // dumpCookie refuses SameSite=None without Secure (Partitioned implies Secure): refused here at start-up.
  SESSION_COOKIE_SAMESITE: {
    must: "'Strict', 'Lax', 'None' (only with SESSION_COOKIE_SECURE), or null",
    test: (v, c) =>
      cookieSameSite(v) !== 'None' ||
      c.SESSION_COOKIE_SECURE === true ||
      c.SESSION_COOKIE_PARTITIONED === true,
  },
  SESSION_COOKIE_PARTITIONED: boolean,
  // Every step computes an expiry as new Date(now + lifetime): it must be a date.
  PERMANENT_SESSION_LIFETIME: {
    must: 'a number of seconds, 0 or more, that ends at a date',
    test: (v) => isAmount(v) && !Number.isNaN(new Date(Date.now() + v * 1000).getTime()),
  },
  SESSION_REFRESH_EACH_REQUEST: boolean,
  APPLICATION_ROOT: { must: 'a path starting with /', test: isPath },
  MAX_COOKIE_SIZE: { must: 'a number of bytes, 0 or more', test: isAmount },
  MAX_CONTENT_LENGTH: { must: 'a number of bytes, 0 or more', test: isAmount },
  MAX_BUFFERED_CONTENT_LENGTH: {
    must: 'a number of bytes, at least MAX_CONTENT_LENGTH',
    test: (v, config) => isAmount(v) && v >= config.MAX_CONTENT_LENGTH,
  },
  // Node's server takes the timeout as a timer's delay: a whole number of milliseconds, 0 meaning none.
  REQUEST_TIMEOUT_MS: {
    must: `a whole number of milliseconds from 1 to ${maxTimerMs}`,
    test: (v) => isWhole(v, 1, maxTimerMs),
  },
  TRUSTED_HOSTS: orNull({
    must: 'a list of host names (or one)',
    test: (v) => isText(v) || (Array.isArray(v) && v.every(isText)),
  }),
};
