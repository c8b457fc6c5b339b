import { configFromEnv } from '../01-raw-http/config.ts';
import { runMain } from '../01-raw-http/serve.ts';
import { buildApp } from './server.ts';

await runMain((env) => {
  if (!env.FLASK_SECRET_KEY) {
    console.error("WARNING: SECRET_KEY is the article's example key '123'. Anyone can sign with it. Set FLASK_SECRET_KEY.");
  }
  return buildApp(configFromEnv(env));
});
