import type { Flask } from '../01-raw-http/app.ts';
import { configFromEnv } from '../01-raw-http/config.ts';
import { isEntryPoint, runMain } from '../01-raw-http/serve.ts';
import { buildApp } from './server.ts';

/** Step 02's app, configured from `FLASK_` variables: run here bare, or by `npm run step -- 02` with its page. */
export function build(env: NodeJS.ProcessEnv): Flask {
  return buildApp(configFromEnv(env));
}

if (isEntryPoint(import.meta.url)) await runMain(build);
