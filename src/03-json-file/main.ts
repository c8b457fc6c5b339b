import { join } from 'node:path';
import type { Flask } from '../01-raw-http/app.ts';
import { configFromEnv } from '../01-raw-http/config.ts';
import { isEntryPoint, runMain } from '../01-raw-http/serve.ts';
import { jsonFileTextKeys } from './config.ts';
import { buildApp } from './server.ts';

/** Step 03's app, configured from `FLASK_` variables: run here bare, or by `npm run step -- 03` with its page. */
export function build(env: NodeJS.ProcessEnv): Flask {
  if (!env.FLASK_SECRET_KEY) {
    console.error(
      "WARNING: SECRET_KEY is the article's example key '123'. Anyone can sign with it. Set FLASK_SECRET_KEY.",
    );
  }
  // The instance folder is per working directory, like a deployment's: `npm run step -- 03` keeps it at the repository's top.
  return buildApp(configFromEnv(env, jsonFileTextKeys), { instancePath: join(process.cwd(), 'instance') });
}

if (isEntryPoint(import.meta.url)) await runMain(build);
