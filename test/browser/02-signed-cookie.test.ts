import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlaskConfig } from '../../src/01-raw-http/config.ts';
import { buildApp } from '../../src/02-signed-cookie/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { panelRows, pressAction, refreshView, reloadInspector, shownSession } from '../support/browser.ts';
import { sessionPageTests, startInspector } from '../support/inspector-suite.ts';

const anatomy = 'Signed cookie anatomy: readable by anyone, changeable by no one';

/** Step 02's demo with its page, as `npm run step -- 02` serves it. */
const withPage = (config: Partial<FlaskConfig> = {}) =>
  mountInspector('02-signed-cookie', buildApp({ SECRET_KEY: 'browser-test-key', ...config }));

sessionPageTests('step 02', () => withPage(), { permanentLogin: 'Log in, remember me' });

test('step 02 in Chromium: the page takes the signed cookie apart, and a tampered one fails to verify', async (t) => {
  const run = await startInspector(t, () => withPage());
  if (!run) return;
  const { page } = run;
  const signedAt = Date.now();
  await pressAction(page, 'Log in', 'alice');
  const rows = await panelRows(page, anatomy);
  assert.equal(rows.decoded, '{"user":"alice"}');
  const timestamp = Date.parse(rows.timestamp!.split(' ')[0]!);
  assert.ok(Math.abs(timestamp - signedAt) < 5_000, `the timestamp ${rows.timestamp} is the signing time`);
  assert.match(rows.signature!, /^[A-Za-z0-9_-]{27} \(20-byte HMAC-SHA1\)$/);
  assert.equal(rows.verifies, "yes, with this server's key");

  await pressAction(page, 'Tamper with the cookie');
  assert.match((await panelRows(page, anatomy)).verifies!, /^NO/);
  await refreshView(page);
  assert.equal(await page.locator('#trace-title').textContent(), 'GET /inspect → 200');
  assert.match(
    (await page.locator('#timeline').textContent()) ?? '',
    /cookie refused \(Signature .* does not match\): an empty session/,
  );
});

test('step 02 in Chromium: a short PERMANENT_SESSION_LIFETIME expires a remembered login', async (t) => {
  const run = await startInspector(t, () => withPage({ PERMANENT_SESSION_LIFETIME: 2 }));
  if (!run) return;
  const { page, browser } = run;
  await pressAction(page, 'Log in, remember me', 'alice');
  const cookie = (await browser.cookies()).find((c) => c.name === 'session');
  assert.ok(cookie && cookie.expires > 0, 'a remembered login gets a cookie with an expiry');
  const expiresMs = cookie.expires * 1000;
  assert.ok(expiresMs - Date.now() <= 2_000, 'the cookie expires within the 2 s lifetime');
  assert.deepEqual(await shownSession(page), { _permanent: true, user: 'alice' });
  assert.match((await page.locator('#expiry').textContent()) ?? '', /Session cookie expires/);
  // The browser, not the server, forgets the cookie: wait until its own expiry has passed.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresMs - Date.now()) + 250));
  await page.waitForFunction(() =>
    /^Session cookie expired .*: press "Refresh view"\.$/.test(
      (globalThis as unknown as ExpiryGlobals).document.getElementById('expiry').textContent,
    ),
  );
  await refreshView(page);
  assert.deepEqual(await shownSession(page), {});
  assert.equal(
    await page.locator('#expiry').textContent(),
    'No session cookie in the browser.',
    'the hint to refresh is gone once the view is refreshed',
  );
  await reloadInspector(page);
  assert.deepEqual(await shownSession(page), {});
  assert.equal(await page.locator('#cookie-header').textContent(), '(no Cookie header)');
  assert.equal(
    (await browser.cookies()).some((c) => c.name === 'session'),
    false,
  );
});

/** The one element the expiry wait reads (the project compiles without the DOM library). */
interface ExpiryGlobals {
  document: { getElementById(id: string): { textContent: string } };
}
