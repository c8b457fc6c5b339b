import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import type { Flask } from '../../src/01-raw-http/app.ts';
import {
  brokenNumbers,
  documentCookie,
  emptyColumns,
  launchChromium,
  openInspector,
  pressAction,
  reloadInspector,
  shownAnswer,
  shownSession,
} from './browser.ts';
import { addAutoPostPage, autoPost, startOtherSite } from './cross-site.ts';
import { captureLogs, serve } from './server.ts';

/** A step's app for one test, and whatever must be cleaned up after it. */
export type BuildForTest = (t: TestContext) => Flask | Promise<Flask>;

/** Opens the step's inspector in a fresh Chromium; null when Chromium is missing outside CI. */
export async function startInspector(
  t: TestContext,
  build: BuildForTest,
  viewport?: { width: number; height: number },
) {
  const browser = await launchChromium(t, viewport);
  if (!browser) return null;
  const app = await build(t);
  const logs = captureLogs(app);
  const server = await serve(app, t);
  return { app, browser, base: server.base, server, logs, page: await openInspector(browser, server.base) };
}

/** The rows of the page's Configuration list, by key. */
export async function settingsRows(page: Page): Promise<Record<string, string>> {
  const labels = await page.locator('#settings dt').allTextContents();
  const values = await page.locator('#settings dd').allTextContents();
  return Object.fromEntries(labels.map((label, i) => [label, values[i] ?? '']));
}

/** What the page says about the cookie's expiry must agree with the session's `permanent` flag. */
export async function assertExpiryAgreesWithPermanent(page: Page): Promise<void> {
  const flags = (await page.locator('#session-flags').textContent()) ?? '';
  const expiry = (await page.locator('#expiry').textContent()) ?? '';
  if (/permanent: true/.test(flags)) {
    if (/lives until the browser closes/.test(expiry))
      assert.match(expiry, /next save gives the cookie one/, `permanent, yet: ${expiry}`);
    assert.doesNotMatch(expiry, /not permanent/, `permanent, yet: ${expiry}`);
  } else {
    assert.match(flags, /permanent: false/);
    assert.doesNotMatch(
      expiry,
      /^(Session cookie expires [^.]*\)\.|The session is permanent)$/,
      `not permanent, yet: ${expiry}`,
    );
  }
}

/** A phone, a small tablet (where two columns are narrowest) and three common desktops. */
export const pageWidths = [390, 800, 1280, 1440, 1920];

/** At each of `pageWidths`, no column of the page is left empty and no number breaks across lines. */
export async function assertLayoutAtCommonWidths(page: Page): Promise<void> {
  for (const width of pageWidths) {
    await page.setViewportSize({ width, height: 900 });
    assert.deepEqual(await emptyColumns(page), [], `an empty column at ${width} px`);
    assert.deepEqual(await brokenNumbers(page), [], `numbers broken across lines at ${width} px`);
  }
}

/** The session the page shows, minus `_permanent`: a session holding only that is empty (Flask-Session's rule). */
export async function shownData(page: Page): Promise<Record<string, unknown>> {
  const { _permanent: _, ...data } = (await shownSession(page)) as Record<string, unknown>;
  return data;
}

/**
 * The browser tests every session step shares: its `/login` puts `user` in the session and
 * `/logout` empties it. `step` names the step in the test names.
 */
export function sessionPageTests(
  step: string,
  build: BuildForTest,
  options: { permanentLogin?: string } = {},
): void {
  test(`${step} in Chromium: a login survives reloads`, async (t) => {
    const run = await startInspector(t, build);
    if (!run) return;
    assert.match(await pressAction(run.page, 'Log in', 'alice'), /→ 200: Logged in as alice\./);
    await pressAction(run.page, 'Count');
    await reloadInspector(run.page);
    await reloadInspector(run.page);
    assert.deepEqual(await shownData(run.page), { count: 1, user: 'alice' });
  });

  test(`${step} in Chromium: the HttpOnly session cookie is invisible to document.cookie`, async (t) => {
    const run = await startInspector(t, build);
    if (!run) return;
    await pressAction(run.page, 'Log in', 'alice');
    const cookie = (await run.browser.cookies()).find((c) => c.name === 'session');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Lax');
    assert.equal(await documentCookie(run.page), '');
  });

  test(`${step} in Chromium: a tampered cookie shows an empty session, not an error`, async (t) => {
    const run = await startInspector(t, build);
    if (!run) return;
    await pressAction(run.page, 'Log in', 'alice');
    const before = (await run.browser.cookies()).find((c) => c.name === 'session')?.value;
    assert.match(await pressAction(run.page, 'Tamper with the cookie'), /→ 200: Sent back/);
    const after = (await run.browser.cookies()).find((c) => c.name === 'session')?.value;
    assert.ok(before && after && before !== after, 'the browser now holds a different cookie');
    assert.deepEqual(await shownData(run.page), {});
    await reloadInspector(run.page);
    assert.deepEqual(await shownData(run.page), {});
    assert.deepEqual(run.logs.errors, []);
  });

  test(`${step} in Chromium: the page fits a phone screen (390 px wide) without sideways scrolling`, async (t) => {
    const run = await startInspector(t, build, { width: 390, height: 844 });
    if (!run) return;
    await pressAction(run.page, 'Log in', 'alice');
    await pressAction(run.page, 'Count');
    const widths = await run.page.evaluate(() => {
      const root = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document.documentElement;
      return { scroll: root.scrollWidth, client: root.clientWidth };
    });
    assert.ok(
      widths.scroll <= widths.client,
      `the page is ${widths.scroll} px wide on a ${widths.client} px screen`,
    );
  });

  test(`${step} in Chromium: logging out removes the session cookie`, async (t) => {
    const run = await startInspector(t, build);
    if (!run) return;
    await pressAction(run.page, 'Log in', 'alice');
    assert.ok((await run.browser.cookies()).some((c) => c.name === 'session'));
    await pressAction(run.page, 'Log out');
    assert.equal(
      (await run.browser.cookies()).some((c) => c.name === 'session'),
      false,
    );
    assert.match((await run.page.locator('#timeline').textContent()) ?? '', /cookie "session" deleted/);
    await reloadInspector(run.page);
    assert.deepEqual(await shownData(run.page), {});
  });

  test(`${step} in Chromium: a page on another site that auto-posts /login or /logout gets a 403, and the visitor stays logged in as themself`, async (t) => {
    const run = await startInspector(t, async (tc) => addAutoPostPage(await build(tc)));
    if (!run) return;
    const other = await startOtherSite(t);
    await pressAction(run.page, 'Log in', 'alice');
    const login = await autoPost(run.page, other, `${run.base}/login`, { name: 'mallory' });
    await openInspector(run.browser, run.base);
    assert.deepEqual(await shownData(run.page), { user: 'alice' }, 'not logged in as mallory');
    assert.deepEqual(
      [login.status, login.text],
      [403, 'Cross-origin POST refused: Sec-Fetch-Site is cross-site.\n'],
    );
    const logout = await autoPost(run.page, other, `${run.base}/logout`);
    await openInspector(run.browser, run.base);
    assert.deepEqual(await shownData(run.page), { user: 'alice' }, 'not logged out');
    assert.equal(logout.status, 403);
    // A form on the app's own pages is same-origin, and still works.
    assert.deepEqual(await autoPost(run.page, run.base, `${run.base}/login`, { name: 'bob' }), {
      status: 200,
      text: 'Logged in as bob.\n',
    });
    await openInspector(run.browser, run.base);
    assert.deepEqual(await shownData(run.page), { user: 'bob' });
  });

  test(`${step} in Chromium: an error answer or a failed request is shown as an error, a success as a success`, async (t) => {
    const run = await startInspector(t, build);
    if (!run) return;
    const conflict = await pressAction(run.page, 'Tamper with the cookie');
    assert.match(conflict, /→ 409: There is no "session" cookie/);
    assert.equal((await shownAnswer(run.page)).error, true, 'a 409 is an error');
    await pressAction(run.page, 'Log in', 'alice');
    assert.equal((await shownAnswer(run.page)).error, false, 'a 200 is not');
    await run.server.close();
    assert.match(await pressAction(run.page, 'Count'), /^The request failed: /);
    assert.equal((await shownAnswer(run.page)).error, true, 'a request that got no answer is an error');
  });

  test(`${step} in Chromium: before a login, after it and after Tamper, what the page says about the cookie's expiry agrees with the session's permanent flag`, async (t) => {
    const run = await startInspector(t, build);
    if (!run) return;
    await assertExpiryAgreesWithPermanent(run.page);
    await pressAction(run.page, options.permanentLogin ?? 'Log in', 'alice');
    await assertExpiryAgreesWithPermanent(run.page);
    await pressAction(run.page, 'Tamper with the cookie');
    await assertExpiryAgreesWithPermanent(run.page);
    await reloadInspector(run.page);
    await assertExpiryAgreesWithPermanent(run.page);
  });

  test(`${step} in Chromium: no column stays empty and no number breaks across lines, from a phone to 1920 px; lifetimes read in days`, async (t) => {
    const run = await startInspector(t, build);
    if (!run) return;
    await pressAction(run.page, 'Log in', 'alice');
    await pressAction(run.page, 'Count');
    await assertLayoutAtCommonWidths(run.page);
    assert.match(
      (await settingsRows(run.page)).PERMANENT_SESSION_LIFETIME!,
      /^\d+ s \(\d+(\.\d)? (days?|hours?|minutes?)\)$/,
    );
  });
}
