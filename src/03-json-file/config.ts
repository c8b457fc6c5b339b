import { boolean, isText, isWhole, orNull, someText, type ConfigRules } from '../01-raw-http/config-rules.ts';
import { flaskTextKeys, type FlaskConfig } from '../01-raw-http/config.ts';
import { defaultSessionMaxBytes } from './session-size.ts';

/** Step 03's keys on top of Flask's: the article's `SESSION_TYPE` and `MY_SESSION_PATH`, and the fixed store's file. */
export interface JsonFileConfig extends FlaskConfig {
  /** `'file'` turns the JSON-file store on; anything else keeps step 02's signed cookie (the article's rule). */
  SESSION_TYPE: string | null;
  /** The article's key: the session file's path, appended to the static folder. */
  MY_SESSION_PATH: string | null;
  /** Flask-Session's key: sign the sid in the cookie (salt `flask-session`). */
  SESSION_USE_SIGNER: boolean;
  /** The fixed store's file, relative to the instance folder; null means `sessions.json` there. */
  SESSION_FILE_PATH: string | null;
  /** Which store the demo server uses: the article's port or the fixed one. */
  SESSION_IMPL: 'article' | 'fixed';
  /** The largest session the fixed store keeps, in bytes of JSON; a larger one is refused with a 413. */
  SESSION_MAX_BYTES: number;
}

// #region article-config
/** The article's 第一步 config, with its Windows path `'\session.json'` made portable. */
export const articleConfig = {
  MY_SESSION_PATH: '/session.json',
  SESSION_TYPE: 'file',
  SECRET_KEY: '123',
  SESSION_USE_SIGNER: true,
  PERMANENT_SESSION_LIFETIME: 7200,
} satisfies Partial<JsonFileConfig>;
// #endregion article-config

/** Step 03's keys whose value stays text when it looks like JSON (`configFromEnv`), with Flask's. */
export const jsonFileTextKeys: readonly string[] = [
  ...flaskTextKeys,
  'SESSION_TYPE',
  'MY_SESSION_PATH',
  'SESSION_FILE_PATH',
  'SESSION_IMPL',
];

/** Defaults for the step-03 keys that Flask itself does not have. */
export const jsonFileDefaults = {
  SESSION_TYPE: null,
  MY_SESSION_PATH: null,
  SESSION_USE_SIGNER: false,
  SESSION_FILE_PATH: null,
  SESSION_IMPL: 'fixed',
  SESSION_MAX_BYTES: defaultSessionMaxBytes,
} satisfies Partial<JsonFileConfig>;

/** Step 03's own keys, checked at start-up like Flask's (`checkConfig`). */
export const jsonFileConfigRules: ConfigRules<JsonFileConfig> = {
  SESSION_TYPE: orNull({ must: 'text', test: isText }),
  MY_SESSION_PATH: orNull({ must: 'a path', test: isText }),
  SESSION_USE_SIGNER: boolean,
  SESSION_FILE_PATH: orNull(someText),
  SESSION_IMPL: { must: "'article' or 'fixed'", test: (v) => v === 'article' || v === 'fixed' },
  SESSION_MAX_BYTES: { must: 'a whole number of bytes, 1 or more', test: (v) => isWhole(v, 1) },
};
