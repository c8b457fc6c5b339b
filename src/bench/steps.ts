import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flask } from '../01-raw-http/app.ts';

const src = fileURLToPath(new URL('..', import.meta.url));

/** What a step's `server.ts` exports: `buildApp(config)`, possibly async (a backend connects first). */
export type BuildApp = (config: Record<string, unknown>, options?: Record<string, unknown>) => Flask | Promise<Flask>;

/** One way of running a step: a label for the table and the config that selects it. */
export interface StepVariant {
  readonly step: string;
  readonly label: string;
  readonly config: Record<string, unknown>;
  /** A service the variant needs (`redis`, `memcached`, …); the row is skipped when it is down. */
  readonly needs?: string;
  /** The step keeps files under its app's root: give it a fresh temporary one (`{ rootPath }`). */
  readonly tempRoot?: boolean;
  /** The store promises that concurrent requests of different visitors lose none of their sessions. */
  readonly concurrentSafe?: boolean;
  /** Where the session data lives: in the cookie itself, or on the server behind a sid. */
  readonly storesIn: 'cookie' | 'server';
  /** Sessions outlive the server process (files, Redis, SQL), so a restart must lose none. */
  readonly persistent?: boolean;
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
export async function loadBuildApp(step: string): Promise<BuildApp> {
  const module = (await import(new URL(`../${step}/server.ts`, import.meta.url).href)) as { buildApp?: BuildApp };
  if (typeof module.buildApp !== 'function') throw new Error(`src/${step}/server.ts does not export buildApp`);
  return module.buildApp;
}

/** The secret every benchmarked or fault-tested app is given; it signs nothing outside them. */
export const benchSecret = 'bench-and-fault-suite-secret-not-for-production';

/** The variants of one step: most steps have one; later steps add one row per store or backend. */
export function stepVariants(step: string): StepVariant[] {
  const common = { SECRET_KEY: benchSecret };
  if (step.startsWith('03-')) {
    return [
      { step, label: '03 article port (one JSON file)', config: { ...common, SESSION_IMPL: 'article' }, storesIn: 'server', tempRoot: true },
      { step, label: '03 fixed store (one JSON file)', config: { ...common, SESSION_IMPL: 'fixed' }, storesIn: 'server', tempRoot: true, concurrentSafe: true, persistent: true },
    ];
  }
  return [{ step, label: step, config: common, storesIn: 'cookie' }];
}

/** Builds one variant's app, in a temporary root when it stores files; `close` removes them. */
export async function buildVariant(variant: StepVariant, givenRoot?: string): Promise<BuiltVariant> {
  const root = givenRoot ?? (variant.tempRoot ? await mkdtemp(join(tmpdir(), `session-lab-${variant.step}-`)) : undefined);
  const buildApp = await loadBuildApp(variant.step);
  const app = await buildApp(variant.config, root ? { rootPath: root } : undefined);
  const closable = app as unknown as { close?: () => Promise<void> };
  return {
    app,
    close: async () => {
      await closable.close?.();
      if (root && !givenRoot) await rm(root, { recursive: true, force: true });
    },
  };
}
