import { configFromEnv } from './config.ts';
import { runMain } from './serve.ts';
import { buildApp } from './server.ts';

await runMain((env) => buildApp(configFromEnv(env)));
