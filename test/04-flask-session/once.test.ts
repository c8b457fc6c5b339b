import assert from 'node:assert/strict';
import { test } from 'node:test';
import { once } from '../../src/04-flask-session/once.ts';

test('a set-up shared by once runs one time for every caller, and after a failure the next call tries again', async () => {
  let runs = 0;
  let failNext = true;
  const ensure = once(async () => {
    runs++;
    if (failNext) throw new Error('the server is still starting');
  });
  const first = await Promise.allSettled([ensure(), ensure()]);
  assert.deepEqual(
    first.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  assert.equal(runs, 1, 'two callers at once share one attempt');
  failNext = false;
  await Promise.all([ensure(), ensure()]);
  assert.equal(runs, 2, 'the failure was not kept: one new attempt for both');
  await ensure();
  assert.equal(runs, 2, 'a set-up that succeeded is not run again');
});
