import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildVariant, listSteps, stepVariants } from '../../src/bench/steps.ts';
import { concurrentRequests, keptIncrements } from '../../src/bench/lost-updates.ts';
import { requireVariantService } from '../support/backends.ts';
import { captureLogs, serve } from '../support/server.ts';

// Without the lock, how many of the 50 survive depends on timing (lesson 05 shows the numbers);
// with it, all of them must.
for (const variant of listSteps().flatMap(stepVariants).filter((v) => v.locked)) {
  test(`${concurrentRequests} concurrent increments of one session on ${variant.label}: every one is kept`, { timeout: 60_000 }, async (t) => {
    if (!(await requireVariantService(t, variant))) return;
    const built = await buildVariant(variant);
    t.after(() => built.close());
    const logs = captureLogs(built.app);
    const server = await serve(built.app, t);
    const { kept, failed } = await keptIncrements(server.base);
    assert.equal(failed, 0, 'no request waited past SESSION_LOCK_WAIT_MS');
    assert.equal(kept, concurrentRequests);
    assert.deepEqual(logs.errors, []);
  });
}
