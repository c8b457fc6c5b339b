import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as timers from 'node:timers/promises';
import { LocalLeases } from '../../src/05-session-lock/local-leases.ts';

// Whether a promise has settled within a short moment, without waiting for it any longer.
async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  return Promise.race([promise.then(() => true), timers.setTimeout(50).then(() => false)]);
}

test('a release here wakes the request that has waited longest, and only that one', async () => {
  const leases = new LocalLeases();
  leases.hold('session:a', 'holder', 60_000);
  const first = leases.wait('session:a', 60_000, 1);
  const second = leases.wait('session:a', 60_000, 1);
  const other = leases.wait('session:b', 60_000, 60_000);
  assert.equal(await settledSoon(first), false, 'a lease held here is not polled for');
  assert.equal(leases.release('session:a', 'holder'), true);
  assert.equal(await settledSoon(first), true, 'the first waiter wakes at the release');
  assert.equal(await settledSoon(second), false, 'the second still waits: the first will take the lease');
  leases.hold('session:a', 'first', 60_000);
  leases.release('session:a', 'first');
  assert.equal(await settledSoon(second), true);
  assert.equal(await settledSoon(other), false, 'a release of one session wakes nobody waiting for another');
});

test("only the holder's token releases; a stale one changes nothing", async () => {
  const leases = new LocalLeases();
  leases.hold('k', 'current', 60_000);
  assert.equal(leases.release('k', 'expired-holder'), false);
  assert.equal(leases.isHeld('k'), true);
  assert.equal(leases.release('k', 'current'), true);
  assert.equal(leases.isHeld('k'), false);
});

test('a lease held elsewhere is asked for again after pollMs; one held here ends when it runs out', async () => {
  let now = 0;
  const leases = new LocalLeases(() => now);
  assert.equal(
    await settledSoon(leases.wait('elsewhere', 60_000, 1)),
    true,
    'nothing held here: the wait is the poll interval',
  );
  leases.hold('k', 'crashed', 5_000);
  assert.equal(leases.isHeld('k'), true);
  now = 5_000;
  assert.equal(leases.isHeld('k'), false, 'a lease is not held past its time');
  assert.equal(
    await settledSoon(leases.wait('k', 60_000, 60_000)),
    true,
    'a run-out lease is not waited for',
  );
});
