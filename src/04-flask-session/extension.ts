import type { Flask } from '../01-raw-http/app.ts';
import type { SessionInterface } from '../02-signed-cookie/session-interface.ts';
import { checkConfig } from '../01-raw-http/config.ts';
import { flaskSessionDefaults, type FlaskSessionConfig, type SessionType } from './config.ts';
import { flaskSessionRules } from './config-rules.ts';
import { makeStore } from './make-store.ts';
import { SidSigner } from '../03-json-file/sid-signer.ts';
import { makeSerializer } from './serializer.ts';
import { ServerSideSessionInterface } from './server-side-interface.ts';
import { guardStore } from './store.ts';

// #region extension
/**
 * The Flask-Session extension (`flask_session.Session`), used as the article's extensions.py /
 * `__init__.py` do: `const session = new FlaskSession(); session.initApp(app);` reads the config and
 * swaps `app.sessionInterface` for the backend SESSION_TYPE names. Bad config fails here, at start.
 */
export class FlaskSession {
  sessionInterface: SessionInterface | undefined;

  constructor(app?: Flask) {
    if (app) this.initApp(app);
  }

  initApp(app: Flask): SessionInterface {
    setDefaults(app, flaskSessionDefaults);
    this.sessionInterface = createInterface(app as Flask<FlaskSessionConfig>);
    app.sessionInterface = this.sessionInterface;
    return this.sessionInterface;
  }

  /** Closes the backend's connections (the demo server calls it on SIGTERM). */
  async close(): Promise<void> {
    if (this.sessionInterface instanceof ServerSideSessionInterface) await this.sessionInterface.close();
  }
}
// #endregion extension

/** Flask-Session's `app.config.setdefault(...)`, for each key of `defaults`. */
export function setDefaults(app: Flask, defaults: object): void {
  const config = app.config as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(defaults)) if (config[key] === undefined) config[key] = value;
}

// #region create-interface
function createInterface(app: Flask<FlaskSessionConfig>): SessionInterface {
  const config = app.config;
  // Checked before makeStore connects: a refused config must not leave a client keeping the process alive.
  checkConfig(config, flaskSessionRules);
  const type = String(config.SESSION_TYPE).toLowerCase() as SessionType;
  const signer = config.SESSION_USE_SIGNER ? new SidSigner(app) : undefined;
  const store = makeStore(type, app);
  return new ServerSideSessionInterface({
    store: guardStore(store, config.SESSION_BACKEND_TIMEOUT_MS),
    keyPrefix: config.SESSION_KEY_PREFIX,
    sidLength: config.SESSION_ID_LENGTH,
    permanent: config.SESSION_PERMANENT,
    signer,
    serializer: makeSerializer(config.SESSION_SERIALIZATION_FORMAT),
    cleanupNRequests: config.SESSION_CLEANUP_N_REQUESTS,
    maxBytes: config.SESSION_MAX_BYTES,
  });
}
// #endregion create-interface
