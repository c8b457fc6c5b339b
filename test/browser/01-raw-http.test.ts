import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceUnavailable } from '../../src/01-raw-http/http-errors.ts';
import * as step01 from '../../src/01-raw-http/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import {
  documentCookie,
  launchChromium,
  openInspector,
  panelRows,
  pressAction,
  refreshView,
  reloadInspector,
  shownAnswer,
  shownSession,
} from '../support/browser.ts';
import { addAutoPostPage, autoPost, startOtherSite } from '../support/cross-site.ts';
import { assertLayoutAtCommonWidths } from '../support/inspector-suite.ts';
import { captureLogs, serve } from '../support/server.ts';

const panel = 'Plain cookies: readable and writable by anyone';

/** Step 01's demo with its page, as `npm run step -- 01` serves it. */
const stepOneWithPage = () => mountInspector('01-raw-http', step01.buildApp());

async function start(t: import('node:test').TestContext) {
  const browser = await launchChromium(t);
  if (!browser) return null;
  const app = addAutoPostPage(stepOneWithPage());
  const logs = captureLogs(app);
  const { base } = await serve(app, t);
  return { browser, base, logs, page: await openInspector(browser, base) };
}

test('step 01 in Chromium: a login and a session survive reloads', async (t) => {
  const run = await start(t);
  if (!run) return;
  const { page } = run;
  assert.match(await pressAction(page, 'Log in', 'alice'), /→ 200: Logged in as alice\./);
  await pressAction(page, 'Count');
  await pressAction(page, 'Count');
  await reloadInspector(page);
  assert.deepEqual(await shownSession(page), { count: 2 });
  assert.equal((await panelRows(page, panel))['user cookie'], 'alice');
});

test('step 01 in Chromium: the HttpOnly cookies are invisible to document.cookie, though the page echoes them', async (t) => {
  const run = await start(t);
  if (!run) return;
  const { page, browser } = run;
  await pressAction(page, 'Log in', 'alice');
  await pressAction(page, 'Count');
  const jar = await browser.cookies();
  assert.deepEqual(jar.map((c) => [c.name, c.httpOnly, c.sameSite]).sort(), [
    ['session', true, 'Lax'],
    ['user', true, 'Lax'],
  ]);
  assert.equal(await documentCookie(page), '');
  // The teaching page itself shows them: the server echoes the Cookie header it received.
  assert.match((await page.locator('#cookie-header').textContent()) ?? '', /session=eyJ/);
});

test('step 01 in Chromium: a tampered session cookie shows an empty session, not an error', async (t) => {
  const run = await start(t);
  if (!run) return;
  const { page, browser, logs } = run;
  await pressAction(page, 'Count');
  assert.match(await pressAction(page, 'Tamper with the cookie'), /→ 200: Sent back the "session" cookie/);
  const jar = await browser.cookies();
  assert.match(jar.find((c) => c.name === 'session')?.value ?? '', /^AyJ/);
  assert.deepEqual(await shownSession(page), {});
  await reloadInspector(page);
  assert.deepEqual(await shownSession(page), {});
  assert.match(await pressAction(page, 'Count'), /→ 200: 1$/);
  assert.deepEqual(logs.errors, []);
});

test('step 01 in Chromium: logging out removes the login cookie', async (t) => {
  const run = await start(t);
  if (!run) return;
  const { page, browser } = run;
  await pressAction(page, 'Log in', 'alice');
  assert.ok((await browser.cookies()).some((c) => c.name === 'user'));
  await pressAction(page, 'Log out');
  assert.equal(
    (await browser.cookies()).some((c) => c.name === 'user'),
    false,
  );
  assert.equal((await panelRows(page, panel))['user cookie'], '(none)');
});

test('step 01 in Chromium: the page shows the last request as open → handler → save, from the server', async (t) => {
  const run = await start(t);
  if (!run) return;
  const { page } = run;
  await pressAction(page, 'Add to cart', 'apple');
  await pressAction(page, 'Add to cart', 'pear');
  assert.deepEqual(await shownSession(page), { cart: ['apple', 'pear'] });
  assert.equal(await page.locator('#trace-title').textContent(), 'POST /cart → 200');
  const phases = await page.locator('#timeline > li').allTextContents();
  assert.equal(phases.length, 3);
  assert.match(phases[0]!, /open session.*"session" cookie received.*keys: cart/);
  assert.match(phases[1]!, /handler.*session\.modified = true/);
  assert.match(phases[2]!, /save session.*cookie "session" set.*Vary: Cookie/);
  assert.match(
    (await page.locator('#trace-headers').textContent()) ?? '',
    /Set-Cookie.*session=.*HttpOnly; Path=\/; SameSite=Lax/,
  );
});

test('step 01 in Chromium: the page fits a phone screen (390 px wide) without sideways scrolling', async (t) => {
  const browser = await launchChromium(t, { width: 390, height: 844 });
  if (!browser) return;
  const { base } = await serve(stepOneWithPage(), t);
  const page = await openInspector(browser, base);
  await pressAction(page, 'Log in', 'a-rather-long-name-without-any-spaces-at-all');
  await pressAction(page, 'Add to cart', 'apple');
  const widths = await page.evaluate(() => {
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
  assert.equal(widths.client, 390);
  assert.ok(
    widths.scroll <= widths.client,
    `the page is ${widths.scroll} px wide on a ${widths.client} px screen`,
  );
});

test('step 01 in Chromium: a session backend that is down shows as a 503 on the page, which recovers when it is back', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  let down = false;
  const app = stepOneWithPage();
  captureLogs(app);
  const plain = app.sessionInterface!;
  app.sessionInterface = {
    openSession: (a, request) => {
      if (down) throw new ServiceUnavailable('The session store (test) is not available right now.');
      return plain.openSession(a, request);
    },
    saveSession: (a, session, response) => plain.saveSession(a, session, response),
    makeNullSession: (a) => plain.makeNullSession(a),
    isNullSession: (session) => plain.isNullSession(session),
  };
  const { base } = await serve(app, t);
  const page = await openInspector(browser, base);
  await pressAction(page, 'Count');
  down = true;
  assert.match(
    await pressAction(page, 'Count'),
    /→ 503: The session store \(test\) is not available right now\./,
  );
  assert.equal((await shownAnswer(page)).error, true, 'the 503 is drawn as an error, not as a success');
  assert.equal(
    await page.locator('#session').textContent(),
    '(GET /inspect answered 503: The session store (test) is not available right now.)',
  );
  assert.equal(
    await page.locator('#session-flags').textContent(),
    '',
    'nothing stale about a session that could not be read',
  );
  assert.equal(await page.locator('#expiry').textContent(), '');
  assert.equal(await page.locator('section.panel').count(), 0);
  const phases = await page.locator('#timeline > li').allTextContents();
  assert.match(
    phases[0]!,
    /the session could not be opened: 503 The session store \(test\) is not available right now\./,
  );
  assert.match(phases[1]!, /the view did not run/);
  assert.doesNotMatch(phases[1]!, /answered|returned/);
  assert.match(phases[2]!, /nothing saved: no session was opened/);
  await refreshView(page);
  assert.match((await shownAnswer(page)).text, /^GET \/inspect → 503/);
  assert.equal((await shownAnswer(page)).error, true);
  down = false;
  await pressAction(page, 'Count');
  assert.equal((await shownAnswer(page)).error, false);
  assert.deepEqual(await shownSession(page), { count: 2 });
});

test('step 01 in Chromium: no column stays empty and no number breaks across lines, from a phone to 1920 px', async (t) => {
  const run = await start(t);
  if (!run) return;
  await pressAction(run.page, 'Log in', 'alice');
  await pressAction(run.page, 'Add to cart', 'apple');
  await assertLayoutAtCommonWidths(run.page);
});

test('step 01 in Chromium: a page on another site that auto-posts /login or /logout gets a 403, and the login cookie stays as it was', async (t) => {
  const run = await start(t);
  if (!run) return;
  const { page, browser, base } = run;
  const other = await startOtherSite(t);
  await pressAction(page, 'Log in', 'alice');
  const login = await autoPost(page, other, `${base}/login`, { name: 'mallory' });
  assert.equal(
    (await browser.cookies()).find((c) => c.name === 'user')?.value,
    'alice',
    'not logged in as mallory',
  );
  assert.deepEqual(
    [login.status, login.text],
    [403, 'Cross-origin POST refused: Sec-Fetch-Site is cross-site.\n'],
  );
  const logout = await autoPost(page, other, `${base}/logout`);
  assert.equal((await browser.cookies()).find((c) => c.name === 'user')?.value, 'alice', 'not logged out');
  assert.equal(logout.status, 403);
  assert.deepEqual(await autoPost(page, base, `${base}/login`, { name: 'bob' }), {
    status: 200,
    text: 'Logged in as bob.\n',
  });
  assert.equal(
    (await browser.cookies()).find((c) => c.name === 'user')?.value,
    'bob',
    "a form on the app's own page still works",
  );
});
