import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duration, Progress } from '../../src/bench/progress.ts';

test('the bench says how far it is and how long is left, learning the pace as it goes', () => {
  let now = 0;
  const progress = new Progress(100, { priorRatio: 2, now: () => now });
  assert.equal(progress.estimate(), '3 min 20 s');
  now = 30_000; // the first 10 planned seconds took 30: the rest will too, at that pace
  assert.equal(
    progress.step(10, 'warmed up 01-raw-http'),
    '  [ 10 % · 30 s so far · about 4 min 30 s left] warmed up 01-raw-http',
  );
  now = 60_000;
  assert.equal(
    progress.step(40, 'returning round 1/3 02-signed-cookie'),
    '  [ 50 % · 1 min 00 s so far · about 1 min 00 s left] returning round 1/3 02-signed-cookie',
  );
  now = 90_000;
  assert.match(progress.step(70, 'more than planned'), /^ {2}\[100 % · 1 min 30 s so far · about 0 s left\]/);
});

test('durations read as a person says them', () => {
  assert.equal(duration(0.4), '0 s');
  assert.equal(duration(59), '59 s');
  assert.equal(duration(65), '1 min 05 s');
  assert.equal(duration(3725), '1 h 02 min');
});
