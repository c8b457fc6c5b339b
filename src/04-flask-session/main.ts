import type { Flask } from '../01-raw-http/app.ts';
import { configFromEnv } from '../01-raw-http/config.ts';
import { isEntryPoint, runMain } from '../01-raw-http/serve.ts';
import { flaskSessionTextKeys } from './config.ts';
import { FlaskSession } from './extension.ts';
import { buildApp } from './server.ts';

const extension = new FlaskSession();

/** Step 04's app, configured from `FLASK_` variables: run here bare, or by `npm run step -- 04` with its page. */
export function build(env: NodeJS.ProcessEnv): Flask {
  return buildApp(configFromEnv(env, flaskSessionTextKeys), extension);
}

/** Closes the backend's connections. */
export function close(): Promise<void> {
  return extension.close();
}

if (isEntryPoint(import.meta.url)) await runMain(build, close);
