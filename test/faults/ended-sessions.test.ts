/**
 * A session that was ended — by a logout, or by a new sid — stays ended, even when a request that
 * loaded it earlier is still running and saves afterwards. Without the lock, such a request used
 * to store the session again, and whoever held the old cookie was logged in again.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Flask } from '../../src/01-raw-http/app.ts';
import { session } from '../../src/01-raw-http/context.ts';
import type { TraceView } from '../../src/inspector/inspector.ts';
import { mountInspector } from '../../src/inspector/mount.ts';
import { buildVariant, listSteps, stepVariants, type StepVariant } from '../../src/tools/step-variants.ts';
import { requireVariantService } from '../support/backends.ts';
import { cookieFrom, fetchRaw, type TestResponse } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

// Every store that keeps sessions on the server, without SESSION_LOCK (with it, the held request
// would hold the logout back instead). The article's port keeps flaws on purpose: lesson 03.
const covered = listSteps()
  .flatMap(stepVariants)
  .filter((v) => v.storesIn === 'server' && !v.locked && !v.keepsArticleFlaws);

const form = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

/** A route that loads the session, then waits for the test to release it before it changes and saves it. */
function addHeldRoute(app: Flask): { entered: Promise<void>; release(): void } {
  let entered!: () => void;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = { entered: new Promise<void>((resolve) => (entered = resolve)), release: () => release() };
  app.get('/held', async () => {
    const count = Number(session.get('count', 0)) + 1;
    entered();
    await gate;
    session.set('count', count);
    return String(count);
  });
  return held;
}

interface Lab {
  base: string;
  held: { entered: Promise<void>; release(): void };
  cookieName: string;
}

async function start(t: TestContext, variant: StepVariant): Promise<Lab> {
  const built = await buildVariant(variant);
  t.after(() => built.close());
  mountInspector(variant.step, built.app); // its trace says why a late save stored nothing
  const held = addHeldRoute(built.app);
  t.after(() => held.release()); // a failed assertion must not leave the request hanging
  captureLogs(built.app);
  const { base } = await serve(built.app, t);
  return { base, held, cookieName: built.app.config.SESSION_COOKIE_NAME };
}

async function userWith(base: string, cookie: string): Promise<unknown> {
  const response = await fetchRaw(base, '/session', { headers: { cookie } });
  assert.equal(response.status, 200, response.body);
  return (JSON.parse(response.body) as Record<string, unknown>).user;
}

async function loggedIn(lab: Lab): Promise<string> {
  const login = await fetchRaw(lab.base, '/login', form('name=alice'));
  assert.equal(login.status, 200, login.body);
  return cookieFrom(login, lab.cookieName)!;
}

/** The late request: answered, with no cookie for the ended session, and its trace says why nothing was stored. */
function assertSavedNothing(response: TestResponse, lab: Lab): void {
  assert.equal(response.status, 200, response.body);
  assert.deepEqual(
    response.setCookies.filter((c) => c.startsWith(`${lab.cookieName}=`)),
    [],
    'the late request sends no cookie for the ended session',
  );
  const trace = JSON.parse(decodeURIComponent(String(response.headers['session-trace']))) as TraceView;
  const saved = trace.notes.filter((n) => n.phase === 'save').map((n) => n.text);
  assert.ok(
    saved.some((text) => /ended by another request meanwhile: nothing stored/.test(text)),
    saved.join('\n'),
  );
}

for (const variant of covered) {
  test(
    `${variant.label}: a request that loaded the session before /logout and saves after it does not log the old cookie back in`,
    { timeout: 60_000 },
    async (t) => {
      if (!(await requireVariantService(t, variant))) return;
      const lab = await start(t, variant);
      const cookie = await loggedIn(lab);
      const late = fetchRaw(lab.base, '/held', { headers: { cookie, 'session-trace': '1' } });
      await lab.held.entered;
      assert.equal(
        (await fetchRaw(lab.base, '/logout', { method: 'POST', headers: { cookie } })).status,
        200,
      );
      lab.held.release();
      assertSavedNothing(await late, lab);
      assert.equal(
        await userWith(lab.base, cookie),
        undefined,
        'the cookie from before the logout is not logged in',
      );
    },
  );

  test(
    `${variant.label}: a request that loaded the session before /regenerate and saves after it does not bring the old sid back`,
    { timeout: 60_000 },
    async (t) => {
      if (!(await requireVariantService(t, variant))) return;
      const lab = await start(t, variant);
      const old = await loggedIn(lab);
      const late = fetchRaw(lab.base, '/held', { headers: { cookie: old, 'session-trace': '1' } });
      await lab.held.entered;
      const regenerated = await fetchRaw(lab.base, '/regenerate', {
        method: 'POST',
        headers: { cookie: old },
      });
      const fresh = cookieFrom(regenerated, lab.cookieName);
      assert.ok(fresh && fresh !== old, 'a new sid in a new cookie');
      lab.held.release();
      assertSavedNothing(await late, lab);
      assert.equal(await userWith(lab.base, old), undefined, 'the old sid is dead');
      assert.equal(await userWith(lab.base, fresh), 'alice', 'the new sid carries the session');
    },
  );
}

for (const variant of covered.filter((v) => v.step.startsWith('04-'))) {
  test(
    `${variant.label}: a cookie saved before /logout and replayed after it is not logged in`,
    { timeout: 60_000 },
    async (t) => {
      if (!(await requireVariantService(t, variant))) return;
      const lab = await start(t, variant);
      const saved = await loggedIn(lab);
      assert.equal(await userWith(lab.base, saved), 'alice');
      assert.equal(
        (await fetchRaw(lab.base, '/logout', { method: 'POST', headers: { cookie: saved } })).status,
        200,
      );
      assert.equal(await userWith(lab.base, saved), undefined);
    },
  );
}
