import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Flask } from '../../src/01-raw-http/app.ts';
import type { FlaskConfig } from '../../src/01-raw-http/config.ts';
import { buildApp as buildStep01 } from '../../src/01-raw-http/server.ts';
import { buildApp as buildStep02 } from '../../src/02-signed-cookie/server.ts';
import { buildApp as buildStep03 } from '../../src/03-json-file/server.ts';
import { Session } from '../../src/04-flask-session/extension.ts';
import { buildApp as buildStep04 } from '../../src/04-flask-session/server.ts';
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
  'step 01': async (_, config = {}) => quiet(buildStep01(config)),
  'step 02': async (_, config = {}) => quiet(buildStep02({ SECRET_KEY: 'demo-test-key', ...config })),
  'step 03': async (t, config = {}) => quiet(buildStep03({ SECRET_KEY: 'demo-test-key', ...config }, { instancePath: await tempDir(t, '03') })),
  'step 04': async (t, config = {}) => {
    const extension = new Session();
    t.after(() => extension.close());
    return quiet(buildStep04({ SESSION_TYPE: 'filesystem', SESSION_FILE_DIR: await tempDir(t, '04'), ...config }, extension, () => {}));
  },
};

function quiet(app: Flask): Flask {
  captureLogs(app);
  return app;
}
