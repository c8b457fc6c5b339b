import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { Flask } from '../../src/01-raw-http/app.ts';
import { escapeHtml } from '../../src/inspector/inspector-page.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { Response } from '../../src/01-raw-http/response.ts';
import { serve } from './server.ts';

/** A page that submits a form with `fields` to `target` as soon as it loads. */
export function autoSubmitPage(
  target: string,
  method: 'GET' | 'POST',
  fields: Record<string, string>,
): Response {
  const inputs = Object.entries(fields).map(
    ([name, value]) => `<input name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
  );
  const html = `<!doctype html><form method="${method}" action="${escapeHtml(target)}">${inputs.join('')}</form>
<script>document.forms[0].submit()</script>`;
  return new Response(html);
}

/** `GET /auto-post?to=<url>&<field>=<value>…` on `app`: a page that posts the other fields to `to` as it loads. */
export function addAutoPostPage(app: Flask): Flask {
  app.get('/auto-post', (_, req) => {
    const { to = '/', ...fields } = Object.fromEntries(req.query);
    return autoSubmitPage(to, 'POST', fields);
  });
  return app;
}

/**
 * Another site: a second server with the auto-post page, reached by the name `localhost` while
 * the app under test is at 127.0.0.1, so the browser treats it as another site. Returns its base URL.
 */
export async function startOtherSite(t: TestContext): Promise<string> {
  const other = new Flask();
  other.sessionInterface = new PlainCookieSessionInterface();
  const port = new URL((await serve(addAutoPostPage(other), t)).base).port;
  return `http://localhost:${port}`;
}

/** Opens the auto-post page on `from`, which posts `fields` to `target`; resolves with the target's answer. */
export async function autoPost(
  page: Page,
  from: string,
  target: string,
  fields: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const query = new URLSearchParams({ to: target, ...fields });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST'),
    page.goto(`${from}/auto-post?${query}`),
  ]);
  return { status: response.status(), text: await response.text() };
}
