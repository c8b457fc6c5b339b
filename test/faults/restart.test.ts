import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TargetProcess } from '../../src/bench/processes.ts';
import { listSteps, stepVariants } from '../../src/tools/step-variants.ts';
import { CookieJar } from '../support/http.ts';
import { pool } from '../support/probes.ts';
import { requireVariantService } from '../support/backends.ts';

const visitors = 60;

for (const variant of listSteps()
  .flatMap(stepVariants)
  .filter((v) => !v.locked)
  .filter((v) => v.persistent)) {
  test(`a server process killed with SIGKILL and started again: ${variant.label} still knows every session`, async (t) => {
    if (!(await requireVariantService(t, variant))) return;
    const root =
      variant.tempRoot || variant.configIn ? await mkdtemp(join(tmpdir(), 'session-lab-restart-')) : '';
    t.after(() => (root ? rm(root, { recursive: true, force: true }) : undefined));
    // The same key prefix and table for both processes, and ones no other test run uses.
    const run = randomUUID().slice(0, 8);
    const config = { SESSION_KEY_PREFIX: `restart-${run}:`, SESSION_SQLALCHEMY_TABLE: `restart_${run}` };
    const id = `step:${variant.step}:${variant.label}`;
    const first = await TargetProcess.start(id, {}, root, config);
    t.after(() => first.stop());
    const jars = Array.from({ length: visitors }, () => new CookieJar());
    await pool(jars, 10, async (jar, i) => {
      for (let n = 0; n <= i % 3; n++) assert.equal((await jar.fetch(first.base, '/counter')).status, 200);
    });
    await first.kill();
    const second = await TargetProcess.start(id, {}, root, config);
    t.after(() => second.stop());
    const forgotten: string[] = [];
    await pool(jars, 10, async (jar, i) => {
      const session = JSON.parse((await jar.fetch(second.base, '/session')).body) as { count?: number };
      if (session.count !== (i % 3) + 1) forgotten.push(`visitor ${i}: ${JSON.stringify(session)}`);
    });
    assert.deepEqual(forgotten, []);
  });
}
