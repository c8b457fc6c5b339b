import type { Flask } from '../01-raw-http/app.ts';
import { checkConfig } from '../01-raw-http/config.ts';
import type { SessionInterface } from '../02-signed-cookie/session-interface.ts';
import { flaskSessionDefaults } from '../04-flask-session/config.ts';
import { flaskSessionRules } from '../04-flask-session/config-rules.ts';
import { FlaskSession, setDefaults } from '../04-flask-session/extension.ts';
import {
  ServerSideSessionInterface,
  type ServerSideOptions,
} from '../04-flask-session/server-side-interface.ts';
import { sessionLockDefaults, type SessionLockConfig } from './config.ts';
import { sessionLockRules } from './config-rules.ts';
import { LockingSessionInterface } from './locking-interface.ts';
import { makeLock } from './make-lock.ts';
import { guardLock } from './session-lock.ts';

/**
 * Step 04's extension plus `SESSION_LOCK`. Step 04's factory builds the interface for the
 * backend, as always; with the lock on, its settings and its store go on to a
 * LockingSessionInterface holding the lock that backend needs. The lock's keys are checked with
 * step 04's before any backend connects, so a refused value leaves no connection open.
 */
export class LockingFlaskSession extends FlaskSession {
  override initApp(app: Flask): SessionInterface {
    setDefaults(app, flaskSessionDefaults);
    setDefaults(app, sessionLockDefaults);
    const config = app.config as unknown as SessionLockConfig;
    checkConfig(config, flaskSessionRules);
    checkConfig(config, sessionLockRules);
    const built = super.initApp(app);
    if (!config.SESSION_LOCK || !(built instanceof ServerSideSessionInterface)) return built;
    const times = { leaseMs: config.SESSION_LOCK_LEASE_MS, waitMs: config.SESSION_LOCK_WAIT_MS };
    const lock = guardLock(makeLock(config), built.store.backend, config.SESSION_BACKEND_TIMEOUT_MS);
    this.sessionInterface = new LockingSessionInterface({ ...settingsOf(built), lock, times });
    app.sessionInterface = this.sessionInterface;
    return this.sessionInterface;
  }
}

// Every option step 04's factory gave its interface, read back: listing every key of the options
// type makes the compiler name any option added there and forgotten here.
type EveryOption = { [K in keyof Required<ServerSideOptions>]: ServerSideOptions[K] };

function settingsOf(built: ServerSideSessionInterface): EveryOption {
  const {
    store,
    keyPrefix,
    sidLength,
    permanent,
    signer,
    serializer,
    cleanupNRequests,
    maxBytes,
    random,
    now,
  } = built;
  return {
    store,
    keyPrefix,
    sidLength,
    permanent,
    signer,
    serializer,
    cleanupNRequests,
    maxBytes,
    random,
    now,
  };
}
