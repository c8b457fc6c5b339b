import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { checkConfig } from '../01-raw-http/config.ts';
import { currentContext, request, session } from '../01-raw-http/context.ts';
import { addCrossOriginProtection } from '../01-raw-http/cross-origin.ts';
import { addCartRoute, addStandardRoutes, text } from '../01-raw-http/demo-routes.ts';
import { Response } from '../01-raw-http/response.ts';
import type { SessionData } from '../01-raw-http/session.ts';
import { loopbackHosts } from '../01-raw-http/trusted-hosts.ts';
import { ArticleJsonFileSessionInterface, type ArticlePortOptions } from './article-port.ts';
import { articleConfig, jsonFileConfigRules, jsonFileDefaults, type JsonFileConfig } from './config.ts';
import { FlaskWithFolders } from './flask-app.ts';
import { JsonFileSessionInterface, type JsonFileSessionOptions } from './json-file-session.ts';

/** Where the app lives (its static folder), its instance folder, and the stores' test hooks. */
export interface BuildOptions extends ArticlePortOptions, JsonFileSessionOptions {
  rootPath?: string;
  instancePath?: string;
}

/** One stored record as the demo shows it: where it lives, its key, its expiry, its data. */
export interface RecordView {
  file: string;
  key: string;
  expiresAt: string;
  data: SessionData;
}

/** Step 03's demo: the article's app and config, with `SESSION_IMPL` choosing the article's store or the fixed one. */
export function buildApp(
  config: Partial<JsonFileConfig> = {},
  options: BuildOptions = {},
): FlaskWithFolders<JsonFileConfig> {
  const rootPath = options.rootPath ?? import.meta.dirname;
  const app = new FlaskWithFolders<JsonFileConfig>(
    rootPath,
    {
      ...jsonFileDefaults,
      SESSION_COOKIE_SAMESITE: 'Lax',
      TRUSTED_HOSTS: [...loopbackHosts],
      ...articleConfig,
      ...config,
    },
    options.instancePath ?? join(rootPath, 'instance'),
  );
  checkConfig(app.config, jsonFileConfigRules);
  if (app.config.SESSION_IMPL === 'article') {
    addRoutes(app, new ArticleJsonFileSessionInterface(app, options));
    return app;
  }
  // An earlier article-mode run may have left its file, live sessions and all, in the static folder.
  for (const path of [app.config.MY_SESSION_PATH, articleConfig.MY_SESSION_PATH])
    if (path) app.unservedFiles.add(app.staticFolder + path);
  addRoutes(app, new JsonFileSessionInterface(app, options));
  return app;
}

function addRoutes(
  app: FlaskWithFolders<JsonFileConfig>,
  store: ArticleJsonFileSessionInterface | JsonFileSessionInterface,
): void {
  addCrossOriginProtection(app);
  addStandardRoutes(app);
  app.post('/login', async () => {
    const name = request.form.get('name')?.trim();
    if (!name || name.length > 64) return text('Send a name of 1 to 64 characters: curl -d name=alice', 400);
    // A new sid at login: a sid someone planted before the login is worthless after it.
    if (store instanceof JsonFileSessionInterface) await store.regenerate(session);
    session.set('user', name);
    return text(`Logged in as ${name}.`);
  });
  app.post('/logout', () => {
    session.clear();
    return text('Logged out.');
  });
  if (store instanceof JsonFileSessionInterface) {
    app.post('/regenerate', async () => {
      await store.regenerate(session);
      return text('New session id, same data.');
    });
  }
  app.get('/record', async () => {
    const record = await ownRecord(app);
    return record ? Response.json(record) : text('Nothing stored for this session yet.', 404);
  });
  addCartRoute(app);
}

/**
 * The caller's own stored record, found by the sid of the session this request opened; no other
 * key is ever read. `file` is shown from the folder holding the instance (or static) folder.
 */
export async function ownRecord(app: FlaskWithFolders<JsonFileConfig>): Promise<RecordView | null> {
  const { sid } = currentContext().session as unknown as { sid?: unknown };
  const store = app.sessionInterface;
  if (typeof sid !== 'string') return null;
  if (store instanceof JsonFileSessionInterface) {
    const stored = store.file ? await store.read(sid) : null;
    if (!stored || !store.file) return null;
    return {
      file: relative(dirname(app.instancePath), store.file.path),
      key: sid,
      expiresAt: new Date(stored.expiresAt).toISOString(),
      data: stored.data,
    };
  }
  if (!(store instanceof ArticleJsonFileSessionInterface)) return null;
  const all = JSON.parse(await readFile(store.path, 'utf8').catch(() => '{}')) as Record<string, SessionData>;
  const data = Object.hasOwn(all, sid) ? all[sid] : undefined;
  if (!data) return null;
  return {
    file: relative(app.rootPath, store.path),
    key: sid,
    expiresAt: new Date(Number(data['permanent']) * 1000).toISOString(),
    data,
  };
}
