import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { Response } from '../../src/01-raw-http/response.ts';
import { buildApp } from '../../src/01-raw-http/server.ts';
import { launchChromium, openInspector, pressAction } from '../support/browser.ts';
import { serve } from '../support/server.ts';

/** A page that submits a form (one field, `via`) to `target` as soon as it loads. */
function autoSubmitPage(target: string, method: 'GET' | 'POST', via: string): Response {
  const html = `<!doctype html><form method="${method}" action="${target}"><input name="via" value="${via}"></form>
<script>document.forms[0].submit()</script>`;
  return new Response(html);
}

test('a SameSite=Lax session cookie is not sent on a cross-site POST (localhost → 127.0.0.1), but is on a same-site one', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const app = buildApp();
  const received: Array<{ via: string; cookie: string | null }> = [];
  app.route('/record', ['GET', 'POST'], (_, req) => {
    received.push({ via: `${req.method} ${req.query.get('via') ?? req.form.get('via') ?? ''}`, cookie: req.headers.cookie ?? null });
    return 'recorded';
  });
  app.get('/same-site-form', () => autoSubmitPage('/record', 'POST', 'same-site'));
  const target = await serve(app, t);
  // The other site: another server, reached by another host name, so another site to the browser.
  const other = new Flask();
  other.sessionInterface = new PlainCookieSessionInterface();
  other.get('/post', () => autoSubmitPage(`${target.base}/record`, 'POST', 'cross-site'));
  other.get('/get', () => autoSubmitPage(`${target.base}/record`, 'GET', 'cross-site'));
  const otherPort = new URL((await serve(other, t)).base).port;

  const page = await openInspector(browser, target.base);
  await pressAction(page, 'Count');
  assert.ok((await browser.cookies()).some((c) => c.name === 'session' && c.sameSite === 'Lax'));

  await page.goto(`${target.base}/same-site-form`);
  await page.waitForURL(/\/record/);
  await page.goto(`http://localhost:${otherPort}/post`);
  await page.waitForURL(/\/record/);
  await page.goto(`http://localhost:${otherPort}/get`);
  await page.waitForURL(/\/record/);

  assert.equal(received.length, 3);
  assert.equal(received[0]!.via, 'POST same-site');
  assert.match(received[0]!.cookie ?? '', /session=eyJ/);
  assert.equal(received[1]!.via, 'POST cross-site');
  assert.equal(received[1]!.cookie, null, 'the cross-site POST carried no cookie at all');
  // Lax still sends the cookie on a top-level GET navigation from another site: links keep working.
  assert.equal(received[2]!.via, 'GET cross-site');
  assert.match(received[2]!.cookie ?? '', /session=eyJ/);
});
