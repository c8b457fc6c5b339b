import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Flask } from '../../src/01-raw-http/app.ts';
import type { FlaskConfig } from '../../src/01-raw-http/config.ts';
import * as step01 from '../../src/01-raw-http/server.ts';
import * as step02 from '../../src/02-signed-cookie/server.ts';
import * as step03 from '../../src/03-json-file/server.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import * as step04 from '../../src/04-flask-session/server.ts';
import { captureLogs } from './server.ts';

/** Builds one step's demo app for a test, its files in a fresh temp folder removed afterwards. */
export type DemoBuilder = (t: TestContext, config?: Partial<FlaskConfig>) => Promise<Flask>;

async function tempDir(t: TestContext, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `session-lab-${name}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every step's demo server, as `main.ts` builds it, with a test key and logs captured. */
export const demoApps: Record<string, DemoBuilder> = {
  'step 01': async (_, config = {}) => quiet(step01.buildApp(config)),
  'step 02': async (_, config = {}) => quiet(step02.buildApp({ SECRET_KEY: 'demo-test-key', ...config })),
  'step 03': async (t, config = {}) => quiet(step03.buildApp({ SECRET_KEY: 'demo-test-key', ...config }, { instancePath: await tempDir(t, '03') })),
  'step 04': async (t, config = {}) => {
    const extension = new FlaskSession();
    t.after(() => extension.close());
    return quiet(step04.buildApp({ SESSION_TYPE: 'filesystem', SESSION_FILE_DIR: await tempDir(t, '04'), ...config }, extension, () => {}));
  },
};

function quiet(app: Flask): Flask {
  captureLogs(app);
  return app;
}
