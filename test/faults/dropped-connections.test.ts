/**
 * The backend drops the server's connections while requests are in flight (a database restart,
 * a proxy or firewall timing out, an administrator killing sessions). The server runs as a child
 * process, so a client library that emits an unhandled 'error' shows as an exit.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { benchSecret } from '../../src/tools/step-variants.ts';
import { backendUrls, requireBackend, requireMongo } from '../support/backends.ts';
import {
  type DropTarget,
  mariadbDrops,
  memcachedDrops,
  memcachedInstalled,
  mongodbDrops,
  postgresDrops,
  redisDrops,
} from '../support/connection-drops.ts';
import { CookieJar } from '../support/http.ts';
import { requireService } from '../support/services.ts';
import { startStepServer } from '../support/step-process.ts';

const src = join(import.meta.dirname, '..', '..', 'src');
const writers = 8;
const rounds = 4;
/** Responses between two drops: enough for the pool to be busy again. */
const responsesPerRound = 40;
/** A bound on every wait, generous for a busy machine; the waits end as soon as their condition holds. */
const waitLimitMs = 90_000;

interface Backend {
  name: string;
  /** Step 05 (SESSION_LOCK) too: the lock has connections (or queries) of its own. */
  lockable: boolean;
  available(t: TestContext): Promise<boolean>;
  open(): Promise<DropTarget>;
}

const backends: Backend[] = [
  {
    name: 'PostgreSQL',
    lockable: true,
    available: (t) => requireBackend(t, 'postgres'),
    open: postgresDrops,
  },
  { name: 'MariaDB', lockable: true, available: (t) => requireBackend(t, 'mysql'), open: mariadbDrops },
  { name: 'Redis', lockable: true, available: (t) => requireBackend(t, 'redis'), open: redisDrops },
  {
    name: 'memcached',
    lockable: false,
    available: (t) =>
      requireService(t, 'memcached', 'apt-get install memcached', async () => memcachedInstalled()),
    open: memcachedDrops,
  },
  {
    name: 'MongoDB',
    lockable: false,
    available: async (t) => Boolean(requireMongo(t)),
    open: () => mongodbDrops(backendUrls.mongodb!),
  },
];

/** Writers hammering /counter, each with its own session; every answer is tallied. */
class Load {
  readonly statuses = new Map<number, number>();
  readonly failures: string[] = [];
  responses = 0;
  /** Per writer: a 200 since `markRecovery` was last called. */
  readonly recovered = new Array<boolean>(writers).fill(false);
  readonly #waiters = new Set<() => void>();
  #running = true;
  readonly done: Promise<void>;

  constructor(base: string) {
    this.done = Promise.all(Array.from({ length: writers }, (_, i) => this.#write(base, i))).then(() => {});
  }

  async #write(base: string, i: number): Promise<void> {
    const jar = new CookieJar();
    while (this.#running && this.failures.length === 0) {
      try {
        const response = await jar.fetch(base, '/counter', { timeoutMs: 60_000 });
        this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 200 && response.status !== 503)
          this.failures.push(`${response.status}: ${response.body.slice(0, 200)}`);
        if (response.status === 200) this.recovered[i] = true;
      } catch (error) {
        // A reset or refused connection is a failure, never a fine answer: the server died or dropped it.
        this.failures.push(`writer ${i}: ${(error as Error).message}`);
      }
      this.responses++;
      for (const wake of [...this.#waiters]) wake();
    }
  }

  /** Resolves once `check` holds (re-checked after every answer); rejects on a failure or after `waitLimitMs`. */
  until(what: string, check: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        if (error) reject(error);
        else resolve();
      };
      const wake = (): void => {
        if (this.failures.length > 0) finish(new Error(`while waiting for ${what}: ${this.failures[0]}`));
        else if (check()) finish();
      };
      const timer = setTimeout(
        () => finish(new Error(`gave up waiting for ${what} after ${waitLimitMs} ms`)),
        waitLimitMs,
      );
      this.#waiters.add(wake);
      wake();
    });
  }

  markRecovery(): void {
    this.recovered.fill(false);
  }

  stop(): Promise<void> {
    this.#running = false;
    return this.done;
  }
}

for (const backend of backends) {
  for (const locked of backend.lockable ? [false, true] : [false]) {
    const label = `${backend.name}${locked ? ' + SESSION_LOCK' : ''}`;
    test(
      `${label}: connections dropped under load give 503s, never a crash, a 500 or a reset, and the server serves again without a restart`,
      { timeout: 240_000 },
      async (t) => {
        if (!(await backend.available(t))) return;
        const cwd = await mkdtemp(join(tmpdir(), 'session-lab-drops-'));
        t.after(() => rm(cwd, { recursive: true, force: true }));
        const target = await backend.open();
        t.after(() => target.close());
        const inherited = Object.fromEntries(
          Object.entries(process.env).filter(([key]) => !key.startsWith('FLASK_')),
        );
        const env = { ...inherited, ...target.env, FLASK_SECRET_KEY: benchSecret };
        const main = join(src, locked ? '05-session-lock' : '04-flask-session', 'main.ts');
        const server = await startStepServer(main, { cwd, env, timeoutMs: 60_000 });
        t.after(() => server.stop());
        const load = new Load(`http://127.0.0.1:${server.port}`);
        try {
          await load.until('the first answers', () => load.recovered.every(Boolean));
          let dropped = 0;
          for (let round = 0; round < rounds; round++) {
            const before = load.responses;
            dropped += await target.drop();
            await load.until(
              `${responsesPerRound} answers after drop ${round + 1}`,
              () => load.responses >= before + responsesPerRound,
            );
            await target.restore();
          }
          assert.ok(dropped > 0, 'the test cut at least one of the server’s connections');
          t.diagnostic(
            `${dropped} connections cut in ${rounds} drops; answers so far: ${JSON.stringify(Object.fromEntries(load.statuses))}`,
          );
          load.markRecovery();
          await load.until('a 200 for every writer after the last drop', () => load.recovered.every(Boolean));
        } catch (error) {
          throw new Error(`${(error as Error).message}\nthe server's output:\n${server.log()}`, {
            cause: error,
          });
        } finally {
          await load.stop();
        }
        assert.deepEqual(load.failures, [], server.log());
        assert.deepEqual(
          [...load.statuses.keys()].filter((s) => s !== 200 && s !== 503),
          [],
          'every answer is a 200 or a 503',
        );
        assert.deepEqual(
          await server.stop(),
          { code: 0, signal: null },
          `the server was still running until it was stopped\n${server.log()}`,
        );
      },
    );
  }
}
