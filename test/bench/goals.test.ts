import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goals, goalsTable } from '../../src/bench/goals.ts';
import type { Figures, Row } from '../../src/bench/report.ts';
import type { ScalePoint } from '../../src/bench/scaling.ts';

const at = (requestsPerSecond: number): Figures => ({
  requestsPerSecond,
  p50Ms: 1,
  p99Ms: 2,
  cpuMicrosPerRequest: 100,
  non2xx: 0,
  errors: 0,
});
const row = (label: string, rps: number): Row => ({ label, returning: at(rps) });
const point = (sessions: number, meanMs: number): ScalePoint => ({
  label: '04 filesystem',
  sessions,
  meanMs,
  cpuMicrosPerRequest: 1,
  requests: 1,
});

test('each goal is a ratio of two rows of the same run, and the table says plainly which held', () => {
  const rows = [
    row('02-signed-cookie', 6000),
    row('04 redis', 8000),
    row('hand-written HMAC cookie session on node:http', 9000),
    row('express-session + connect-redis', 1000),
    row('04 postgresql', 1000),
    row('05 postgresql + SESSION_LOCK', 600),
  ];
  const table = goalsTable(goals(rows, [point(10, 1), point(100_000, 1.2)]));
  assert.match(table, /`02-signed-cookie` ÷ `04 redis` \| 0\.75× \| ≥ 1× \| \*\*no\*\* \|/);
  assert.match(table, /`hand-written HMAC …` \| 0\.67× \| ≥ 0\.6× \| yes \|/);
  assert.match(table, /connect-redis` \| 8\.00× \| ≥ 6× \| yes \|/);
  assert.match(table, /`05 postgresql \+ SESSION_LOCK` ÷ `04 postgresql` \| 0\.60× \| ≥ 0\.5× \| yes \|/);
  assert.match(table, /stored sessions \(scaling table\) \| 1\.20× \| ≤ 1\.3× \| yes \|/);
});

test('a goal whose rows were skipped says it was not measured instead of passing', () => {
  const table = goalsTable(goals([row('02-signed-cookie', 6000)], [point(10, 1), point(1000, 2)]));
  assert.match(table, /÷ `04 redis` \| – \| ≥ 1× \| not measured \|/);
  assert.match(table, /stored sessions \(scaling table\) \| 2\.00× \| ≤ 1\.3× \| \*\*no\*\* \|/);
});
