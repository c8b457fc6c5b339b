import type { Flask } from '../01-raw-http/app.ts';
import { configFromEnv } from '../01-raw-http/config.ts';
import { isEntryPoint, runMain } from '../01-raw-http/serve.ts';
import { flaskSessionTextKeys } from '../04-flask-session/config.ts';
import { LockingFlaskSession } from './extension.ts';
import { buildApp } from './server.ts';

const extension = new LockingFlaskSession();

/** Step 05's app, configured from `FLASK_` variables: run here bare, or by `npm run step -- 05` with its page. */
export function build(env: NodeJS.ProcessEnv): Flask {
  return buildApp(configFromEnv(env, flaskSessionTextKeys), extension);
}

/** Closes the backend's and the lock's connections. */
export function close(): Promise<void> {
  return extension.close();
}

if (isEntryPoint(import.meta.url)) await runMain(build, close);
