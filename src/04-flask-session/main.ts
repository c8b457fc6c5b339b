import { configFromEnv } from '../01-raw-http/config.ts';
import { runMain } from '../01-raw-http/serve.ts';
import { flaskSessionTextKeys } from './config.ts';
import { FlaskSession } from './extension.ts';
import { buildApp } from './server.ts';

const extension = new FlaskSession();
await runMain((env) => buildApp(configFromEnv(env, flaskSessionTextKeys), extension), () => extension.close());
