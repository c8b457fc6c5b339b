import { configFromEnv } from '../01-raw-http/config.ts';
import { runMain } from '../01-raw-http/serve.ts';
import { flaskSessionTextKeys } from '../04-flask-session/config.ts';
import { LockingFlaskSession } from './extension.ts';
import { buildApp } from './server.ts';

const extension = new LockingFlaskSession();
await runMain((env) => buildApp(configFromEnv(env, flaskSessionTextKeys), extension), () => extension.close());
