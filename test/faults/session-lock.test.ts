import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import type { FlaskConfig } from '../../src/01-raw-http/config.ts';
import { session } from '../../src/01-raw-http/context.ts';
import { LockingFlaskSession } from '../../src/05-session-lock/extension.ts';
import { buildVariant, listSteps, stepVariants } from '../../src/tools/step-variants.ts';
import { concurrentRequests, keptIncrements } from '../../src/tools/lost-updates.ts';
import { backendUrls, requireBackend, requireVariantService } from '../support/backends.ts';
import { CookieJar } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

// Without the lock, how many of the 50 survive depends on timing (lesson 06 shows the numbers);
// with it, all of them must.
for (const variant of listSteps()
  .flatMap(stepVariants)
  .filter((v) => v.locked)) {
  test(
    `${concurrentRequests} concurrent increments of one session on ${variant.label}: every one is kept`,
    { timeout: 60_000 },
    async (t) => {
      if (!(await requireVariantService(t, variant))) return;
      const built = await buildVariant(variant);
      t.after(() => built.close());
      const logs = captureLogs(built.app);
      const server = await serve(built.app, t);
      const { kept, failed } = await keptIncrements(server.base);
      assert.equal(failed, 0, 'no request waited past SESSION_LOCK_WAIT_MS');
      assert.equal(kept, concurrentRequests);
      assert.deepEqual(logs.errors, []);
    },
  );
}

// A request that outlives its lease (SESSION_LOCK_LEASE_MS) while another takes the lease, reads,
// changes and saves the session: its late save would overwrite that acknowledged write.
for (const backend of ['filesystem', 'redis'] as const) {
  test(
    `on ${backend}, a request that outlived its session lock gets a 503 and does not overwrite the write of the request that took the lock after it`,
    { timeout: 30_000 },
    async (t) => {
      if (backend === 'redis' && !(await requireBackend(t, 'redis'))) return;
      const dir = await mkdtemp(join(tmpdir(), 'session-lab-lease-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const prefix = `test:${randomUUID()}:`;
      const app = new Flask({
        SESSION_TYPE: backend,
        SESSION_FILE_DIR: dir,
        SESSION_REDIS: backendUrls.redis,
        SESSION_KEY_PREFIX: prefix,
        SESSION_LOCK: true,
        SESSION_LOCK_LEASE_MS: 300,
        SESSION_BACKEND_TIMEOUT_MS: 200,
        SESSION_LOCK_WAIT_MS: 10_000,
      } as Partial<FlaskConfig>);
      const extension = new LockingFlaskSession(app);
      t.after(() => extension.close());
      let entered!: () => void;
      const slowEntered = new Promise<void>((resolve) => (entered = resolve));
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      const increment = (): string => {
        const n = (session.get('count') as number) + 1;
        session.set('count', n);
        return String(n);
      };
      app.get('/start', () => (session.set('count', 0), 'ok'));
      app.get('/inc', increment);
      app.get('/slow-inc', async () => {
        entered();
        await gate;
        return increment();
      });
      app.get('/count', () => String(session.get('count')));
      app.get('/clear', () => (session.clear(), 'cleared'));
      captureLogs(app);
      const server = await serve(app, t);
      const jar = new CookieJar();
      await jar.fetch(server.base, '/start');

      try {
        const slow = jar.fetch(server.base, '/slow-inc', { timeoutMs: 20_000 });
        await slowEntered; // it holds the lease now, and will hold on to the request past it
        const fast = await jar.fetch(server.base, '/inc', { timeoutMs: 20_000 }); // waits until the lease runs out
        openGate();
        const late = await slow;
        const acknowledged = [fast, late].filter((r) => r.status === 200).length;
        assert.equal(fast.status, 200);
        assert.equal(late.status, 503, 'the request that lost its lease is not acknowledged');
        assert.match(late.body, /SESSION_LOCK_LEASE_MS/);
        assert.equal(
          (await jar.fetch(server.base, '/count')).body,
          String(acknowledged),
          'every acknowledged increment is kept',
        );
      } finally {
        openGate();
        await jar.fetch(server.base, '/clear'); // deletes the stored session
      }
    },
  );
}
