import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dumpHandWritten, loadHandWritten } from '../../src/bench/hand-written.ts';

// The yardstick is only fair if it does the work a session must: a cookie it did not sign is empty.
test('the hand-written yardstick reads back what it wrote and refuses a cookie it did not sign', () => {
  const value = dumpHandWritten({ count: 7 });
  assert.deepEqual(loadHandWritten(`theme=dark; session=${value}`), { count: 7 });
  const [payload, signature] = value.split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify({ count: 1_000_000 })).toString('base64url');
  assert.deepEqual(loadHandWritten(`session=${forged}.${signature}`), {});
  const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
  assert.deepEqual(loadHandWritten(`session=${payload}.${flipped}`), {});
  assert.deepEqual(loadHandWritten(`session=${payload}`), {});
  assert.deepEqual(loadHandWritten(undefined), {});
});
