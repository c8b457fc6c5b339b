import { join } from 'node:path';
import { configFromEnv } from '../01-raw-http/config.ts';
import { runMain } from '../01-raw-http/serve.ts';
import { jsonFileTextKeys } from './config.ts';
import { buildApp } from './server.ts';

await runMain((env) => {
  if (!env.FLASK_SECRET_KEY) {
    console.error("WARNING: SECRET_KEY is the article's example key '123'. Anyone can sign with it. Set FLASK_SECRET_KEY.");
  }
  // The instance folder is per working directory, like a deployment's: `npm run step -- 03` keeps it at the repository's top.
  return buildApp(configFromEnv(env, jsonFileTextKeys), { instancePath: join(process.cwd(), 'instance') });
});
