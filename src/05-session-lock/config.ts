import type { FlaskSessionConfig } from '../04-flask-session/config.ts';

/** Step 05's keys on top of step 04's: `SESSION_LOCK` and its two times. Not in Flask-Session. */
export interface SessionLockConfig extends FlaskSessionConfig {
  /** Run the requests of one session one at a time (session-lock.ts). */
  SESSION_LOCK: boolean;
  /** How long a request waits for its session's lock before it gets a 503. */
  SESSION_LOCK_WAIT_MS: number;
  /** How long a lock holds without being released (a crashed holder frees it after this). */
  SESSION_LOCK_LEASE_MS: number;
}

/** The lock's defaults: off, as in every other step; step 05's demo server turns it on. */
export const sessionLockDefaults: Omit<SessionLockConfig, keyof FlaskSessionConfig> = {
  SESSION_LOCK: false,
  SESSION_LOCK_WAIT_MS: 5000,
  SESSION_LOCK_LEASE_MS: 10000,
};
