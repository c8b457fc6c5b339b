import { configFromEnv } from '../01-raw-http/config.ts';
import { runMain } from '../01-raw-http/serve.ts';
import { buildApp } from './server.ts';

await runMain((env) => buildApp(configFromEnv(env)));
