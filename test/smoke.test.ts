import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchRaw } from './support/http.ts';

const src = join(import.meta.dirname, '..', 'src');
const steps = readdirSync(src).filter((name) => /^\d\d-/.test(name)).sort();

/** Starts a step's main.ts with PORT=0 and resolves with its base URL from the first stdout line. */
function startStep(step: string, t: { after(fn: () => unknown): void }): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(src, step, 'main.ts')], {
    env: { ...process.env, PORT: '0', FLASK_SECRET_KEY: 'smoke-test-secret' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const first = out.split('\n')[0] ?? '';
      if (out.includes('\n')) {
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
        if (match) resolve(match[1]!);
        else reject(new Error(`first stdout line was ${JSON.stringify(first)}`));
      }
    });
    child.on('exit', (code) => reject(new Error(`${step} exited with ${code}: ${err}`)));
  });
}

for (const step of steps) {
  test(`step ${step} starts, prints its URL first and answers GET /test1/ with OK`, async (t) => {
    const base = await startStep(step, t);
    const response = await fetchRaw(base, '/test1/');
    assert.equal(response.status, 200);
    assert.equal(response.body, 'OK');
    assert.equal(response.setCookies.length, 1);
  });
}
