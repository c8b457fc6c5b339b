import { Flask } from '../01-raw-http/app.ts';
import { checkConfig, configFromEnv } from '../01-raw-http/config.ts';
import { isEntryPoint } from '../01-raw-http/serve.ts';
import { flaskSessionDefaults, flaskSessionTextKeys, type FlaskSessionConfig } from './config.ts';
import { flaskSessionRules } from './config-rules.ts';
import { makeStore } from './make-store.ts';

// #region session-cleanup
/**
 * `npm run session-cleanup`, Flask-Session's `flask session_cleanup`: deletes expired sessions
 * from a backend that does not expire them itself. Configured like the server (FLASK_ variables);
 * run it from cron when SESSION_CLEANUP_N_REQUESTS is not set.
 */
export async function sessionCleanup(env: NodeJS.ProcessEnv): Promise<string> {
  const config = {
    ...flaskSessionDefaults,
    SESSION_TYPE: 'filesystem',
    ...configFromEnv(env, flaskSessionTextKeys),
  } as FlaskSessionConfig;
  checkConfig(config, { SESSION_TYPE: flaskSessionRules.SESSION_TYPE }); // refused as the server refuses it
  const type = String(config.SESSION_TYPE).toLowerCase();
  const store = makeStore(type, new Flask<FlaskSessionConfig>(config));
  try {
    // A store without cleanup() is one whose backend expires entries by itself (the contract's rule).
    if (!store.cleanup) return `SESSION_TYPE=${type} expires sessions by itself: nothing to clean up.`;
    const removed = await store.cleanup();
    return `Removed ${removed} expired session${removed === 1 ? '' : 's'} (SESSION_TYPE=${type}).`;
  } finally {
    await store.close();
  }
}
// #endregion session-cleanup

// Run as a command (`npm run session-cleanup`), not when imported by a test.
if (isEntryPoint(import.meta.url)) {
  sessionCleanup(process.env).then(
    (message) => console.log(message),
    (error: unknown) => {
      console.error(`session-cleanup failed: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
