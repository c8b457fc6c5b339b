import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { guarded } from '../../src/04-flask-session/store.ts';

// A backend stand-in in another thread: it answers each message at once and raises a flag the
// main thread can see while it is too busy to read the answer.
const backendSource = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (value) => {
  parentPort.postMessage(value);
  Atomics.store(workerData, 0, 1);
  Atomics.notify(workerData, 0);
});`;

test('a backend that answered in time is not blamed for a stall of this process: the answer is used, not a timeout', async (t) => {
  const answered = new Int32Array(new SharedArrayBuffer(4));
  const backend = new Worker(backendSource, { eval: true, workerData: answered });
  t.after(() => backend.terminate());
  const timeoutMs = 20;
  const call = guarded('stand-in', 'get', timeoutMs, () => {
    const reply = new Promise<string>((resolve) => backend.once('message', resolve));
    backend.postMessage('stored bytes');
    return reply;
  });
  // This process is busy past the deadline (a long task, a loaded machine) while the answer
  // arrives: when the event loop turns again, the timer and the answer are both due.
  const started = Date.now();
  Atomics.wait(answered, 0, 0, 60_000);
  while (Date.now() - started < 3 * timeoutMs);
  assert.equal(await call, 'stored bytes');
});

test('a backend that does not answer still fails with a SessionBackendError once the time is up', async () => {
  const call = guarded('stand-in', 'get', 20, () => new Promise<never>(() => {}));
  await assert.rejects(call, {
    name: 'SessionBackendError',
    message: 'stand-in: get did not answer within 20 ms',
  });
});
