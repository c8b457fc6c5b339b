/**
 * The ways of running each step that the bench measures and the fault suite checks: one row per
 * store or backend, built the way the step's server builds its app.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import type { Flask } from '../01-raw-http/app.ts';
import { lockTableName } from '../05-session-lock/sql-lock.ts';
import { deleteByPrefix } from './redis-keys.ts';
import { services, type ServiceName } from './services.ts';

const src = fileURLToPath(new URL('..', import.meta.url));

/** What a step's `server.ts` exports: `buildApp(config)`, possibly async (a backend connects first). */
export type BuildApp = (
  config: Record<string, unknown>,
  options?: Record<string, unknown>,
) => Flask | Promise<Flask>;

/** One way of running a step: a label for the table and the config that selects it. */
export interface StepVariant {
  readonly step: string;
  readonly label: string;
  readonly config: Record<string, unknown>;
  /** The server the variant needs; the row is skipped (the test is guarded) when it is down. */
  readonly needs?: ServiceName;
  /** The step keeps files under its app's root: give it a fresh temporary one (`{ rootPath }`). */
  readonly tempRoot?: boolean;
  /** The article's code, flaws kept on purpose (lesson 03 proves them): it must not crash, but it may keep junk. */
  readonly keepsArticleFlaws?: boolean;
  /** Files the store expects before its first request (the article's store reads a file it never creates). */
  readonly files?: Record<string, string>;
  /** Config that needs the temporary root (a file folder, a database file). */
  readonly configIn?: (root: string) => Record<string, unknown>;
  /** `buildApp(config, extension)` (steps 04 and 05): the extension class the step's extension.ts exports; the bench makes it, and closes it after. */
  readonly extension?: 'FlaskSession' | 'LockingFlaskSession';
  /** The store promises that concurrent requests of different visitors lose none of their sessions. */
  readonly concurrentSafe?: boolean;
  /** Where the session data lives: in the cookie itself, or on the server behind a sid. */
  readonly storesIn: 'cookie' | 'server';
  /** Sessions outlive the server process (files, Redis, SQL), so a restart must lose none. */
  readonly persistent?: boolean;
  /** Removes what the variant left on a shared server (its Redis keys, its SQL tables). */
  readonly cleanup?: (config: Record<string, unknown>) => Promise<void>;
  /** A row that only adds SESSION_LOCK to another: the lost-update and cost rows, not the fault suite. */
  readonly locked?: boolean;
  /** Config for the scaling run only (e.g. a file-count cap raised above 100 000). */
  readonly scalingConfig?: Record<string, unknown>;
}

/** A built variant and how to let go of it (backend connections, temporary files). */
export interface BuiltVariant {
  readonly app: Flask;
  close(): Promise<void>;
}

/** Every `src/NN-slug/` folder, in order: the steps the bench and the fault suite cover. */
export function listSteps(): string[] {
  return readdirSync(src)
    .filter((name) => /^\d\d-/.test(name))
    .sort();
}

/** Imports a step's `buildApp` from its `server.ts`. */
async function loadBuildApp(step: string): Promise<BuildApp> {
  const module = (await import(new URL(`../${step}/server.ts`, import.meta.url).href)) as {
    buildApp?: BuildApp;
  };
  if (typeof module.buildApp !== 'function')
    throw new Error(`src/${step}/server.ts does not export buildApp`);
  return module.buildApp;
}

/** The secret every benchmarked or fault-tested app is given; it signs nothing outside them. */
export const benchSecret = 'bench-and-fault-suite-secret-not-for-production';

/** The variants of one step: most steps have one; later steps add one row per store or backend. */
export function stepVariants(step: string): StepVariant[] {
  const common = { SECRET_KEY: benchSecret };
  if (step.startsWith('03-')) {
    return [
      {
        step,
        label: '03 article port (one JSON file)',
        config: { ...common, SESSION_IMPL: 'article' },
        storesIn: 'server',
        tempRoot: true,
        files: { 'static/session.json': '{}' },
        keepsArticleFlaws: true,
      },
      {
        step,
        label: '03 fixed store (one JSON file)',
        config: { ...common, SESSION_IMPL: 'fixed' },
        storesIn: 'server',
        tempRoot: true,
        concurrentSafe: true,
        persistent: true,
      },
    ];
  }
  if (step.startsWith('04-')) return flaskSessionVariants(step, common);
  if (step.startsWith('05-')) return sessionLockVariants(step, common);
  return [{ step, label: step, config: common, storesIn: 'cookie' }];
}

// One row per Flask-Session backend. Each run gets its own key prefix and table, so runs never
// see (or clear) each other's sessions on a shared server.
const run = randomUUID().slice(0, 8);

function flaskSessionVariants(step: string, common: Record<string, unknown>): StepVariant[] {
  const base = {
    step,
    storesIn: 'server' as const,
    extension: 'FlaskSession' as const,
    concurrentSafe: true,
  };
  const server = { ...common, SESSION_KEY_PREFIX: `bench-${run}:` };
  const sql = (url: string) => ({
    ...server,
    SESSION_TYPE: 'sqlalchemy',
    SESSION_SQLALCHEMY: url,
    SESSION_SQLALCHEMY_TABLE: `bench_${run}`,
  });
  const variants: StepVariant[] = [
    // Flask-Session's default cap of 500 files evicts sessions (the returning visitor's first of
    // all: it expires soonest) and makes every new session pay a scan; the rows measure the store.
    {
      ...base,
      label: '04 filesystem',
      config: { ...server, SESSION_TYPE: 'filesystem', SESSION_FILE_THRESHOLD: 1_000_000 },
      configIn: (root) => ({ SESSION_FILE_DIR: join(root, 'flask_session') }),
      persistent: true,
    },
    {
      ...base,
      label: '04 redis',
      config: { ...server, SESSION_TYPE: 'redis', SESSION_REDIS: services.redis.url },
      needs: 'redis',
      persistent: true,
      cleanup: removeRedisKeys,
    },
    {
      ...base,
      label: '04 memcached',
      config: { ...server, SESSION_TYPE: 'memcached', SESSION_MEMCACHED: services.memcached.url },
      needs: 'memcached',
    },
    {
      ...base,
      label: '04 sqlite',
      config: sql(''),
      configIn: (root) => ({ SESSION_SQLALCHEMY: `sqlite:${join(root, 'sessions.sqlite3')}` }),
      persistent: true,
    },
    {
      ...base,
      label: '04 postgresql',
      config: sql(services.postgres.url),
      needs: 'postgres',
      persistent: true,
      cleanup: dropTables,
    },
    {
      ...base,
      label: '04 mariadb',
      config: sql(services.mysql.url),
      needs: 'mysql',
      persistent: true,
      cleanup: dropTables,
    },
    {
      ...base,
      label: '04 mongodb',
      config: { ...server, SESSION_TYPE: 'mongodb', SESSION_MONGODB: services.mongodb.url ?? '' },
      needs: 'mongodb',
      persistent: true,
    },
  ];
  return variants;
}

// Step 05: step 04's rows on the backends whose lock the lost-update table compares, with SESSION_LOCK on.
function sessionLockVariants(step: string, common: Record<string, unknown>): StepVariant[] {
  const lockable = new Set(['filesystem', 'redis', 'sqlite', 'postgresql', 'mariadb']);
  return flaskSessionVariants(step, common)
    .filter((v) => lockable.has(v.label.slice(3)))
    .map((v) => ({
      ...v,
      label: `05 ${v.label.slice(3)} + SESSION_LOCK`,
      config: { ...v.config, SESSION_LOCK: true },
      extension: 'LockingFlaskSession',
      locked: true,
    }));
}

// Best effort and bounded: a Redis that is gone (a test killed it) leaves nothing to clean.
async function removeRedisKeys(config: Record<string, unknown>): Promise<void> {
  const client = createClient({
    url: String(config.SESSION_REDIS),
    socket: { connectTimeout: 1_000, reconnectStrategy: false },
  });
  client.on('error', () => {});
  if (
    !(await client.connect().then(
      () => true,
      () => false,
    ))
  )
    return;
  try {
    await deleteByPrefix(client, String(config.SESSION_KEY_PREFIX));
  } finally {
    client.destroy();
  }
}

// The session table and the lock table of this run; the database itself is shared.
async function dropTables(config: Record<string, unknown>): Promise<void> {
  const { connectSql } = (await import(
    new URL('../04-flask-session/stores/sql-connect.ts', import.meta.url).href
  )) as SqlConnect;
  const db = connectSql(String(config.SESSION_SQLALCHEMY));
  try {
    for (const table of [
      lockTableName(String(config.SESSION_SQLALCHEMY_TABLE)),
      String(config.SESSION_SQLALCHEMY_TABLE),
    ])
      await db.schema.dropTable(table).ifExists().execute();
  } finally {
    await db.destroy();
  }
}

interface SqlConnect {
  connectSql(url: string): {
    schema: { dropTable(t: string): { ifExists(): { execute(): Promise<unknown> } } };
    destroy(): Promise<void>;
  };
}

/** Builds one variant's app, in a temporary root when it stores files; `close` removes them. */
export async function buildVariant(variant: StepVariant, givenRoot?: string): Promise<BuiltVariant> {
  const wantsRoot = variant.tempRoot || variant.configIn;
  const root =
    givenRoot || (wantsRoot ? await mkdtemp(join(tmpdir(), `session-lab-${variant.step}-`)) : undefined);
  const config = { ...variant.config, ...(root && variant.configIn ? variant.configIn(root) : {}) };
  if (root && !givenRoot) await writeFiles(root, variant.files ?? {});
  const extension = variant.extension ? await makeExtension(variant.step, variant.extension) : undefined;
  const buildApp = await loadBuildApp(variant.step);
  const app = await buildApp(
    config,
    extension ?? (root && variant.tempRoot ? { rootPath: root } : undefined),
  );
  return {
    app,
    close: async () => {
      await extension?.close();
      await variant.cleanup?.(config);
      if (root && !givenRoot) await rm(root, { recursive: true, force: true });
    },
  };
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

interface Extension extends Record<string, unknown> {
  close(): Promise<void>;
}

async function makeExtension(step: string, name: NonNullable<StepVariant['extension']>): Promise<Extension> {
  const module = (await import(new URL(`../${step}/extension.ts`, import.meta.url).href)) as Record<
    string,
    new () => Extension
  >;
  return new module[name]!();
}
