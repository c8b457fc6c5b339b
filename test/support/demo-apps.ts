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
import { LockingFlaskSession } from '../../src/05-session-lock/extension.ts';
import * as step05 from '../../src/05-session-lock/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { captureLogs } from './server.ts';

/** Builds one step's demo app for a test, its files in a fresh temp folder removed afterwards. */
export type DemoBuilder = (t: TestContext, config?: Partial<FlaskConfig>) => Promise<Flask>;

async function tempDir(t: TestContext, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `session-lab-${name}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every step's demo server as `npm run step -- NN` serves it (its inspector page included), with a test key and logs captured. */
export const demoApps: Record<string, DemoBuilder> = {
  'step 01': async (_, config = {}) => served('01-raw-http', step01.buildApp(config)),
  'step 02': async (_, config = {}) =>
    served('02-signed-cookie', step02.buildApp({ SECRET_KEY: 'demo-test-key', ...config })),
  'step 03': async (t, config = {}) =>
    served(
      '03-json-file',
      step03.buildApp({ SECRET_KEY: 'demo-test-key', ...config }, { instancePath: await tempDir(t, '03') }),
    ),
  'step 04': async (t, config = {}) => {
    const extension = new FlaskSession();
    t.after(() => extension.close());
    return served(
      '04-flask-session',
      step04.buildApp(
        { SESSION_TYPE: 'filesystem', SESSION_FILE_DIR: await tempDir(t, '04'), ...config },
        extension,
        () => {},
      ),
    );
  },
  'step 05': async (t, config = {}) => {
    const extension = new LockingFlaskSession();
    t.after(() => extension.close());
    return served(
      '05-session-lock',
      step05.buildApp(
        { SESSION_TYPE: 'filesystem', SESSION_FILE_DIR: await tempDir(t, '05'), ...config },
        extension,
        () => {},
      ),
    );
  },
};

function served(folder: string, app: Flask): Flask {
  captureLogs(app);
  return mountInspector(folder, app);
}
