import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import type { JsonFileConfig } from '../../src/03-json-file/config.ts';
import type { FlaskWithFolders } from '../../src/03-json-file/flask-app.ts';
import { buildApp } from '../../src/03-json-file/server.ts';
import { StagedFileSystem } from '../../src/03-json-file/staged-fs.ts';
import { CookieJar, type TestResponse } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

/** The two implementations every flaw is checked against. */
export type Impl = 'article' | 'fixed';

/** One running step-03 app on a fresh folder, with a settable clock and a staged disk. */
export interface Running {
  app: FlaskWithFolders<JsonFileConfig>;
  base: string;
  logs: { warnings: string[]; errors: string[] };
}

/** A fresh app root (with its static folder), a clock, a staged disk; `start` serves an app on it, again after a "restart". */
export interface Lab {
  root: string;
  clock: { now: number };
  disk: StagedFileSystem;
  start(config?: Partial<JsonFileConfig>): Promise<Running>;
}

export async function makeLab(
  t: TestContext,
  impl: Impl,
  config: Partial<JsonFileConfig> = {},
): Promise<Lab> {
  const root = await mkdtemp(join(tmpdir(), 'session-lab-03-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'static'));
  const clock = { now: 1_700_000_000_000 };
  const disk = new StagedFileSystem();
  const start = async (overrides: Partial<JsonFileConfig> = {}): Promise<Running> => {
    const app = buildApp(
      { SESSION_IMPL: impl, ...config, ...overrides },
      { rootPath: root, now: () => clock.now, fs: disk.fs },
    );
    const logs = captureLogs(app);
    const { base } = await serve(app, t);
    return { app, base, logs };
  };
  return { root, clock, disk, start };
}

/** POSTs a login form with a cookie jar. */
export function login(jar: CookieJar, base: string, name: string): Promise<TestResponse> {
  return jar.fetch(base, '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `name=${encodeURIComponent(name)}`,
  });
}

/** The session as `/session` shows it to this jar; a server that cannot answer 200 fails the test, it does not read as empty. */
export async function sessionOf(jar: CookieJar, base: string): Promise<Record<string, unknown>> {
  const response = await jar.fetch(base, '/session');
  assert.equal(response.status, 200, `GET /session answered ${response.status}: ${response.body}`);
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** The sid in a jar's session cookie, without a signature if there is one. */
export function sidOf(jar: CookieJar): string {
  return (jar.cookies.get('session') ?? '').split('.')[0]!;
}

/** Every file under `dir`, as paths relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** The text of every file under `dir`. */
export async function textsUnder(dir: string): Promise<string[]> {
  return Promise.all((await filesUnder(dir)).map((file) => readFile(join(dir, file), 'utf8')));
}
