import type { Flask } from './app.ts';
import { configFromEnv } from './config.ts';
import { isEntryPoint, runMain } from './serve.ts';
import { buildApp } from './server.ts';

/** Step 01's app, configured from `FLASK_` variables: run here bare, or by `npm run step -- 01` with its page. */
export function build(env: NodeJS.ProcessEnv): Flask {
  return buildApp(configFromEnv(env));
}

if (isEntryPoint(import.meta.url)) await runMain(build);
