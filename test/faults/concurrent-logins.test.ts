import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildVariant, listSteps, stepVariants } from '../../src/tools/step-variants.ts';
import { cookieFrom, fetchRaw } from '../support/http.ts';
import { pool } from '../support/probes.ts';
import { requireVariantService } from '../support/backends.ts';
import { captureLogs, serve } from '../support/server.ts';

const visitors = 200;
// Every store that keeps sessions on the server and promises to keep each one: the article's
// port is left out on purpose (lesson 03 shows it losing sessions under exactly this load).
const covered = listSteps()
  .flatMap(stepVariants)
  .filter((v) => !v.locked)
  .filter((v) => v.concurrentSafe);

for (const variant of covered) {
  test(`${visitors} concurrent logins on ${variant.label}: every visitor's session is kept`, async (t) => {
    if (!(await requireVariantService(t, variant))) return;
    const built = await buildVariant(variant);
    t.after(() => built.close());
    const logs = captureLogs(built.app);
    const server = await serve(built.app, t);
    const names = Array.from({ length: visitors }, (_, i) => `visitor-${i}`);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const cookies = await pool(names, visitors, async (name) => {
      const response = await fetchRaw(server.base, '/login', {
        method: 'POST',
        headers: form,
        body: `name=${name}`,
      });
      assert.equal(response.status, 200, `login of ${name}: ${response.status} ${response.body}`);
      return cookieFrom(response, built.app.config.SESSION_COOKIE_NAME)!;
    });
    const lost: string[] = [];
    await pool(names, 20, async (name, i) => {
      const session = JSON.parse(
        (await fetchRaw(server.base, '/session', { headers: { cookie: cookies[i]! } })).body,
      ) as Record<string, unknown>;
      if (session.user !== name) lost.push(`${name}: ${JSON.stringify(session)}`);
    });
    assert.deepEqual(lost, []);
    assert.deepEqual(logs.errors, []);
  });
}
