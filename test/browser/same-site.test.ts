import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { request } from '../../src/01-raw-http/context.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import * as step01 from '../../src/01-raw-http/server.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { launchChromium, openInspector, pressAction } from '../support/browser.ts';
import { autoSubmitPage } from '../support/cross-site.ts';
import { serve } from '../support/server.ts';

test('a SameSite=Lax session cookie is not sent on a cross-site POST (localhost → 127.0.0.1), which is refused, but is on a same-site one', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const app = mountInspector('01-raw-http', step01.buildApp());
  const received: Array<{ via: string; cookie: string | null; status: number }> = [];
  app.route('/record', ['GET', 'POST'], () => 'recorded');
  // An after-request function sees every answer, including the 403 for a cross-site POST.
  app.afterRequest((response) => {
    if (request.path !== '/record') return;
    const via = `${request.method} ${request.query.get('via') ?? request.form.get('via') ?? ''}`;
    received.push({ via, cookie: request.headers.cookie ?? null, status: response.status });
  });
  app.get('/same-site-form', () => autoSubmitPage('/record', 'POST', { via: 'same-site' }));
  const target = await serve(app, t);
  // The other site: another server, reached by another host name, so another site to the browser.
  const other = new Flask();
  other.sessionInterface = new PlainCookieSessionInterface();
  other.get('/post', () => autoSubmitPage(`${target.base}/record`, 'POST', { via: 'cross-site' }));
  other.get('/get', () => autoSubmitPage(`${target.base}/record`, 'GET', { via: 'cross-site' }));
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
  assert.equal(received[0]!.status, 200);
  assert.equal(received[1]!.via, 'POST cross-site');
  assert.equal(received[1]!.cookie, null, 'the cross-site POST carried no cookie at all');
  assert.equal(received[1]!.status, 403, 'and the server refused it as a cross-origin state change');
  // Lax still sends the cookie on a top-level GET navigation from another site: links keep working.
  assert.equal(received[2]!.via, 'GET cross-site');
  assert.match(received[2]!.cookie ?? '', /session=eyJ/);
});
