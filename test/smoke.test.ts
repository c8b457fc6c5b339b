import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchRaw } from './support/http.ts';
import { startStepServer } from './support/step-process.ts';

const src = join(import.meta.dirname, '..', 'src');
const steps = readdirSync(src)
  .filter((name) => /^\d\d-/.test(name) && existsSync(join(src, name, 'main.ts')))
  .sort();

for (const step of steps) {
  test(`src/${step}/main.ts starts on a free port, prints its URL first, answers the article's /test1/ with OK and a cookie, serves /session and stops on SIGTERM`, async (t) => {
    const cwd = mkdtempSync(join(tmpdir(), 'smoke-'));
    t.after(() => rmSync(cwd, { recursive: true, force: true }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FLASK_')));
    const server = await startStepServer(join(src, step, 'main.ts'), { cwd, env });
    t.after(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;
    const test1 = await fetchRaw(base, '/test1/');
    assert.equal(test1.body, 'OK', server.log());
    assert.equal(test1.setCookies.length, 1, server.log());
    const response = await fetchRaw(base, '/session');
    assert.equal(response.status, 200, server.log());
    assert.equal((await fetchRaw(base, '/')).status, 404, 'the bare step has no inspector page');
    assert.deepEqual(await server.stop(), { code: 0, signal: null }, 'main.ts must exit cleanly on SIGTERM');
  });

  test(`npm run step -- ${step.slice(0, 2)} serves the same step with its inspector page at / and stops on SIGTERM`, async (t) => {
    const cwd = mkdtempSync(join(tmpdir(), 'smoke-'));
    t.after(() => rmSync(cwd, { recursive: true, force: true }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FLASK_')));
    const server = await startStepServer(join(src, 'tools', 'step.ts'), {
      cwd,
      env,
      args: [step.slice(0, 2)],
    });
    t.after(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;
    const page = await fetchRaw(base, '/');
    assert.equal(page.status, 200, server.log());
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal((await fetchRaw(base, '/inspect')).status, 200, server.log());
    assert.equal((await fetchRaw(base, '/test1/')).body, 'OK', server.log());
    assert.deepEqual(
      await server.stop(),
      { code: 0, signal: null },
      'the step runner must exit cleanly on SIGTERM',
    );
  });
}
