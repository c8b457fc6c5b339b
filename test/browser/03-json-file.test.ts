import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { JsonFileConfig } from '../../src/03-json-file/config.ts';
import { buildApp } from '../../src/03-json-file/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { panelRows, pressAction, refreshView } from '../support/browser.ts';
import { sessionPageTests, shownData, startInspector } from '../support/inspector-suite.ts';

const record = 'The server-side record';

/** Step 03's app with its instance folder (the session file) in a fresh temp folder. */
async function build(t: TestContext, config: Partial<JsonFileConfig> = {}) {
  const instancePath = await mkdtemp(join(tmpdir(), 'session-lab-browser-03-'));
  t.after(() => rm(instancePath, { recursive: true, force: true }));
  return mountInspector(
    '03-json-file',
    buildApp({ SECRET_KEY: 'browser-test-key', ...config }, { instancePath }),
  );
}

sessionPageTests('step 03', (t) => build(t));

test('step 03 in Chromium: the page shows the server-side record, keyed by the sid in the cookie, and regenerate moves it', async (t) => {
  const run = await startInspector(t, (tc) => build(tc));
  if (!run) return;
  const { page, browser } = run;
  await pressAction(page, 'Log in', 'alice');
  const before = await panelRows(page, record);
  const cookie = (await browser.cookies()).find((c) => c.name === 'session')!.value;
  assert.equal(before['lives in']!.endsWith('/sessions.json'), true);
  assert.equal(cookie.split('.')[0], before['key (sid)'], 'the cookie carries the sid, signed');
  assert.deepEqual(JSON.parse(before.data!), { _permanent: true, user: 'alice' });
  assert.ok(Date.parse(before.expires!) > Date.now() + 7_000_000, "the entry lives for the article's 7200 s");

  await pressAction(page, 'Regenerate the id');
  assert.match(
    (await page.locator('#timeline').textContent()) ?? '',
    new RegExp(`regenerate: sid ${before['key (sid)']} → `),
  );
  const after = await panelRows(page, record);
  assert.notEqual(after['key (sid)'], before['key (sid)']);
  assert.deepEqual(JSON.parse(after.data!), { _permanent: true, user: 'alice' });
  assert.deepEqual(await shownData(page), { user: 'alice' });
});

test('step 03 in Chromium: a tampered sid finds no record, and the page says so', async (t) => {
  const run = await startInspector(t, (tc) => build(tc));
  if (!run) return;
  const { page } = run;
  await pressAction(page, 'Log in', 'alice');
  await pressAction(page, 'Tamper with the cookie');
  await refreshView(page);
  assert.match(
    (await page.locator('#timeline').textContent()) ?? '',
    /no live entry for the cookie's sid: new sid/,
  );
  assert.deepEqual(await panelRows(page, record), { record: 'nothing stored for this session yet' });
});

test("step 03 in Chromium: with the article's store, the page shows the session file is served to anyone, and it is", async (t) => {
  const rootPath = await mkdtemp(join(tmpdir(), 'session-lab-browser-03-article-'));
  t.after(() => rm(rootPath, { recursive: true, force: true }));
  await mkdir(join(rootPath, 'static'));
  const run = await startInspector(t, () =>
    mountInspector(
      '03-json-file',
      buildApp({ SECRET_KEY: 'browser-test-key', SESSION_IMPL: 'article' }, { rootPath }),
    ),
  );
  if (!run) return;
  await pressAction(run.page, 'Log in', 'alice');
  const rows = await panelRows(run.page, record);
  assert.equal(rows['served to anyone at'], '/static/session.json');
  const leaked = await (await fetch(`${run.base}/static/session.json`)).json();
  assert.deepEqual(
    Object.values(leaked as Record<string, { user?: string }>).map((entry) => entry.user),
    ['alice'],
  );
});

/** The help under each button, by label, and the notes, as the page shows them. */
async function helpAndNotes(
  page: import('playwright-core').Page,
): Promise<{ help: Record<string, string>; notes: string[] }> {
  const forms = page.locator('#action-list form');
  const help: Record<string, string> = {};
  for (let i = 0; i < (await forms.count()); i++) {
    help[(await forms.nth(i).locator('button').textContent()) ?? ''] =
      (await forms.nth(i).locator('p').textContent()) ?? '';
  }
  return { help, notes: await page.locator('#notes li').allTextContents() };
}

test("step 03 in Chromium: each store's page tells the truth about itself: the article's keeps a logged-out entry, the fixed one deletes it", async (t) => {
  const rootPath = await mkdtemp(join(tmpdir(), 'session-lab-browser-03-article-'));
  t.after(() => rm(rootPath, { recursive: true, force: true }));
  await mkdir(join(rootPath, 'static'));
  const article = await startInspector(t, () =>
    mountInspector(
      '03-json-file',
      buildApp({ SECRET_KEY: 'browser-test-key', SESSION_IMPL: 'article' }, { rootPath }),
    ),
  );
  if (!article) return;
  const told = await helpAndNotes(article.page);
  assert.equal(
    told.help['Log out'],
    'Empties the session: the cookie is deleted, the entry stays in the file.',
  );
  assert.ok(
    !told.notes.some((note) => /runs the article's own store instead/.test(note)),
    "this is the article's store already",
  );
  assert.match(told.notes.join('\n'), /This is the article's own store \(FLASK_SESSION_IMPL=article\)/);
  await pressAction(article.page, 'Log in', 'alice');
  await pressAction(article.page, 'Log out');
  const file = await (await fetch(`${article.base}/static/session.json`)).json();
  assert.ok(
    Object.values(file as Record<string, { user?: string }>).some((entry) => entry.user === 'alice'),
    'the entry is still there, as the help says',
  );

  const fixed = await startInspector(t, (tc) => build(tc));
  if (!fixed) return;
  const fixedTold = await helpAndNotes(fixed.page);
  assert.equal(fixedTold.help['Log out'], 'Empties the session: entry and cookie deleted.');
  assert.match(
    fixedTold.notes.join('\n'),
    /FLASK_SESSION_IMPL=article npm run step -- 03 runs the article's own store instead/,
  );
  await pressAction(fixed.page, 'Log in', 'alice');
  await pressAction(fixed.page, 'Log out');
  assert.match((await fixed.page.locator('#timeline').textContent()) ?? '', /deleted the entry for sid/);
});
