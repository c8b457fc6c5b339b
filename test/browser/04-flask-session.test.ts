import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { FlaskSessionConfig } from '../../src/04-flask-session/config.ts';
import { FlaskSession } from '../../src/04-flask-session/extension.ts';
import { buildApp } from '../../src/04-flask-session/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { panelRows, pressAction, refreshView, shownAnswer } from '../support/browser.ts';
import { freePort } from '../support/spawn-step.ts';
import { sessionPageTests, shownData, startInspector } from '../support/inspector-suite.ts';

const record = 'The server-side record';

/** Step 04 on the filesystem backend, its session folder a fresh temp folder. */
async function build(t: TestContext, config: Partial<FlaskSessionConfig> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'session-lab-browser-04-'));
  const extension = new FlaskSession();
  t.after(async () => {
    await extension.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    app: mountInspector(
      '04-flask-session',
      buildApp({ SESSION_TYPE: 'filesystem', SESSION_FILE_DIR: dir, ...config }, extension),
    ),
    dir,
  };
}

sessionPageTests('step 04', async (t) => (await build(t)).app);

test('step 04 in Chromium: the page shows the record in the backend under session:<sid>, and regenerate moves it', async (t) => {
  let dir = '';
  const run = await startInspector(t, async (tc) => {
    const built = await build(tc);
    dir = built.dir;
    return built.app;
  });
  if (!run) return;
  const { page, browser } = run;
  await pressAction(page, 'Log in', 'alice');
  const before = await panelRows(page, record);
  const sid = (await browser.cookies()).find((c) => c.name === 'session')!.value;
  assert.equal(before.key, `session:${sid}`);
  assert.match(before['lives in']!, /^files under .*session-lab-browser-04-.* \(SESSION_FILE_DIR\)$/);
  assert.match(before.stored!, /^\d+ bytes of msgpack$/);
  assert.deepEqual(JSON.parse(before.decoded!), { _permanent: true, user: 'alice' });
  assert.equal((await readdir(dir)).length, 1, 'one session, one file');
  assert.match(
    (await page.locator('#timeline').textContent()) ?? '',
    new RegExp(`stored \\d+ bytes under session:${sid}, ttl 2678400 s`),
  );

  await pressAction(page, 'Regenerate the id');
  assert.match(
    (await page.locator('#timeline').textContent()) ?? '',
    new RegExp(`regenerate: session:${sid} deleted, new sid`),
  );
  const after = await panelRows(page, record);
  assert.notEqual(after.key, before.key);
  assert.deepEqual(JSON.parse(after.decoded!), { _permanent: true, user: 'alice' });
  assert.equal((await readdir(dir)).length, 1, 'the old file is gone');
  assert.deepEqual(await shownData(page), { user: 'alice' });
});

test('step 04 in Chromium: a tampered sid is not found in the backend, and the page says so', async (t) => {
  const run = await startInspector(t, async (tc) => (await build(tc)).app);
  if (!run) return;
  await pressAction(run.page, 'Log in', 'alice');
  await pressAction(run.page, 'Tamper with the cookie');
  await refreshView(run.page);
  assert.match(
    (await run.page.locator('#timeline').textContent()) ?? '',
    /session:\S+ not found in the filesystem store/,
  );
  assert.equal((await panelRows(run.page, record)).stored, 'nothing yet (an empty session is not stored)');
});

test("step 04 in Chromium: a backend that is down shows its 503 as an error, with the view's answer and the failed save in the timeline", async (t) => {
  const port = await freePort();
  const run = await startInspector(
    t,
    async (tc) =>
      (
        await build(tc, {
          SESSION_TYPE: 'redis',
          SESSION_REDIS: `redis://127.0.0.1:${port}/0`,
          SESSION_BACKEND_TIMEOUT_MS: 500,
        })
      ).app,
  );
  if (!run) return;
  const { page } = run;
  assert.match(
    await pressAction(page, 'Count'),
    /^GET \/counter → 503: The session store \(redis\) is not available right now\./,
  );
  assert.equal((await shownAnswer(page)).error, true);
  assert.equal(await page.locator('#trace-title').textContent(), 'GET /counter → 503');
  const phases = await page.locator('#timeline > li').allTextContents();
  assert.match(phases[1]!, /GET \/counter: the view returned 200/);
  assert.doesNotMatch(phases[1]!, /answered 200/);
  assert.match(
    phases[2]!,
    /the save failed: 503 The session store \(redis\) is not available right now\..*the browser gets this 503, not the 200/,
  );
  assert.match((await panelRows(page, record)).stored!, /^could not be read: /);
});
