import type { Flask } from '../01-raw-http/app.ts';
import type { SessionInterface } from '../01-raw-http/session-interface.ts';
import { SecureCookieSessionInterface } from '../02-signed-cookie/secure-cookie-interface.ts';
import { flaskSessionDefaults, sessionTypes, type FlaskSessionConfig } from './config.ts';
import { LockingSessionInterface } from './locking-interface.ts';
import { makeLock } from './make-lock.ts';
import { guardLock } from './session-lock.ts';
import { makeStore } from './make-store.ts';
import { makeSerializer } from './serializer.ts';
import { ServerSideSessionInterface } from './server-side-interface.ts';
import { SidSigner } from './sid-signer.ts';
import { guardStore } from './store.ts';

// #region extension
/**
 * The Flask-Session extension, used as the article's extensions.py / `__init__.py` do:
 * `const session = new Session(); session.initApp(app);` reads the config and swaps
 * `app.sessionInterface` for the backend SESSION_TYPE names. Bad config fails here, at start.
 */
export class Session {
  sessionInterface: SessionInterface | undefined;

  constructor(app?: Flask) {
    if (app) this.initApp(app);
  }

  initApp(app: Flask): SessionInterface {
    const config = withDefaults(app);
    this.sessionInterface = createInterface(app as Flask<FlaskSessionConfig>, config);
    app.sessionInterface = this.sessionInterface;
    return this.sessionInterface;
  }

  /** Closes the backend's connections (the demo server calls it on SIGTERM). */
  async close(): Promise<void> {
    if (this.sessionInterface instanceof ServerSideSessionInterface) await this.sessionInterface.close();
  }
}
// #endregion extension

// Flask-Session's `app.config.setdefault(...)` for each of its keys.
function withDefaults(app: Flask): FlaskSessionConfig {
  const config = app.config as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(flaskSessionDefaults)) if (config[key] === undefined) config[key] = value;
  return app.config as unknown as FlaskSessionConfig;
}

// #region create-interface
function createInterface(app: Flask<FlaskSessionConfig>, config: FlaskSessionConfig): SessionInterface {
  const type = String(config.SESSION_TYPE).toLowerCase();
  if (!(sessionTypes as readonly string[]).includes(type)) {
    throw new Error(`Unrecognized value for SESSION_TYPE: ${JSON.stringify(config.SESSION_TYPE)} (valid: ${sessionTypes.join(', ')})`);
  }
  if (type === 'null') return new SecureCookieSessionInterface();
  const format = config.SESSION_SERIALIZATION_FORMAT;
  if (format !== 'msgpack' && format !== 'json') throw new Error(`SESSION_SERIALIZATION_FORMAT must be 'msgpack' or 'json', got ${JSON.stringify(format)}`);
  const sidLength = config.SESSION_ID_LENGTH;
  if (!Number.isInteger(sidLength) || sidLength < 16 || sidLength > 64) throw new Error('SESSION_ID_LENGTH must be a whole number of bytes from 16 to 64');
  // A save renews the lease, then writes within SESSION_BACKEND_TIMEOUT_MS: the lease must outlast that write.
  if (config.SESSION_LOCK && !(config.SESSION_LOCK_LEASE_MS > config.SESSION_BACKEND_TIMEOUT_MS)) {
    throw new Error('SESSION_LOCK_LEASE_MS must be longer than SESSION_BACKEND_TIMEOUT_MS');
  }
  // Checked before makeStore connects: a refused config must not leave a client keeping the process alive.
  const signer = config.SESSION_USE_SIGNER ? new SidSigner(app) : undefined;
  const store = makeStore(type, app);
  const options = {
    store: guardStore(store, config.SESSION_BACKEND_TIMEOUT_MS),
    keyPrefix: config.SESSION_KEY_PREFIX,
    sidLength,
    permanent: config.SESSION_PERMANENT,
    signer,
    serializer: makeSerializer(format),
    cleanupNRequests: config.SESSION_CLEANUP_N_REQUESTS,
  };
  if (!config.SESSION_LOCK) return new ServerSideSessionInterface(options);
  const times = { leaseMs: config.SESSION_LOCK_LEASE_MS, waitMs: config.SESSION_LOCK_WAIT_MS };
  const lock = guardLock(makeLock(type, store, config), store.backend, config.SESSION_BACKEND_TIMEOUT_MS);
  return new LockingSessionInterface({ ...options, lock, times });
}
// #endregion create-interface
