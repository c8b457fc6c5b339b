import type { Flask } from '../01-raw-http/app.ts';
import * as step04 from '../04-flask-session/server.ts';
import type { SessionLockConfig } from './config.ts';
import { LockingFlaskSession } from './extension.ts';

/**
 * Builds step 05's demo app: step 04's, with `SESSION_LOCK` on unless the config turns it off
 * (`FLASK_SESSION_LOCK=false`, to compare). `extension` is closed on shutdown.
 */
export function buildApp(
  config: Partial<SessionLockConfig> = {},
  extension = new LockingFlaskSession(),
  warn: (m: string) => void = console.error,
): Flask {
  return step04.buildApp({ SESSION_LOCK: true, ...config }, extension, warn);
}
