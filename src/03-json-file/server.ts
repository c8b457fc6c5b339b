import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { currentContext, request, session } from '../01-raw-http/context.ts';
import { addStandardRoutes, text } from '../01-raw-http/demo-routes.ts';
import { Response } from '../01-raw-http/response.ts';
import type { SessionData } from '../01-raw-http/session.ts';
import { JsonFileSessionInterface as ArticleInterface, type ArticlePortOptions } from './article-port.ts';
import { articleConfig, jsonFileDefaults, type JsonFileConfig } from './config.ts';
import { FlaskWithFolders } from './flask-app.ts';
import { JsonFileSessionInterface, type JsonFileSessionOptions } from './json-file-session.ts';

/** Where the app lives (its static folder), its instance folder, and the stores' test hooks. */
export interface BuildOptions extends ArticlePortOptions, JsonFileSessionOptions {
  rootPath?: string;
  instancePath?: string;
}

/** One stored record as the demo shows it: where it lives, its key, its expiry, its data. */
interface RecordView {
  file: string;
  key: string;
  expiresAt: string;
  data: SessionData;
}

// #region build-app
/** Step 03's demo: the article's app and config, with `SESSION_IMPL` choosing the article's store or the fixed one. */
export function buildApp(config: Partial<JsonFileConfig> = {}, options: BuildOptions = {}): FlaskWithFolders<JsonFileConfig> {
  const rootPath = options.rootPath ?? import.meta.dirname;
  const app = new FlaskWithFolders<JsonFileConfig>(
    rootPath,
    { ...jsonFileDefaults, SESSION_COOKIE_SAMESITE: 'Lax', ...articleConfig, ...config },
    options.instancePath ?? join(rootPath, 'instance'),
  );
  const impl: unknown = app.config.SESSION_IMPL;
  if (impl === 'article') addRoutes(app, new ArticleInterface(app, options));
  else if (impl === 'fixed') addRoutes(app, new JsonFileSessionInterface(app, options));
  else throw new Error(`SESSION_IMPL must be 'article' or 'fixed', not ${JSON.stringify(impl)}`);
  return app;
}
// #endregion build-app

function addRoutes(app: FlaskWithFolders<JsonFileConfig>, store: ArticleInterface | JsonFileSessionInterface): void {
  addStandardRoutes(app);
  // #region login
  app.post('/login', async () => {
    const name = request.form.get('name')?.trim();
    if (!name) return text('Send a name: curl -d name=alice', 400);
    // A new sid at login: a sid someone planted before the login is worthless after it.
    if (store instanceof JsonFileSessionInterface) await store.regenerate(session);
    session.set('user', name);
    return text(`Logged in as ${name}.`);
  });
  app.post('/logout', () => {
    session.clear();
    return text('Logged out.');
  });
  // #endregion login
  app.get('/record', async () => {
    const record = await ownRecord(app, store);
    return record ? Response.json(record) : text('Nothing stored for this session yet.', 404);
  });
}

// #region own-record
/**
 * The caller's own stored record, found by the sid of the session this request opened; no other
 * key is ever read. `file` is shown from the folder holding the instance (or static) folder.
 */
async function ownRecord(app: FlaskWithFolders<JsonFileConfig>, store: ArticleInterface | JsonFileSessionInterface): Promise<RecordView | null> {
  const { sid } = currentContext().session as unknown as { sid?: unknown };
  if (typeof sid !== 'string') return null;
  if (store instanceof JsonFileSessionInterface) {
    const stored = store.file ? await store.read(sid) : null;
    if (!stored || !store.file) return null;
    return { file: relative(dirname(app.instancePath), store.file.path), key: sid, expiresAt: new Date(stored.expiresAt).toISOString(), data: stored.data };
  }
  const all = JSON.parse(await readFile(store.path, 'utf8').catch(() => '{}')) as Record<string, SessionData>;
  const data = Object.hasOwn(all, sid) ? all[sid] : undefined;
  if (!data) return null;
  return { file: relative(app.rootPath, store.path), key: sid, expiresAt: new Date(Number(data['permanent']) * 1000).toISOString(), data };
}
// #endregion own-record
