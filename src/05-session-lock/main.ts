import { configFromEnv } from '../01-raw-http/config.ts';
import { runMain } from '../01-raw-http/serve.ts';
import { LockingFlaskSession } from './extension.ts';
import { buildApp } from './server.ts';

const extension = new LockingFlaskSession();
await runMain((env) => buildApp(configFromEnv(env), extension), () => extension.close());
