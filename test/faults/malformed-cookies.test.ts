import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildVariant, listSteps, stepVariants } from '../../src/tools/step-variants.ts';
import { fetchRaw } from '../support/http.ts';
import { malformedCookies, mutatedGenuine, seededRandom } from '../support/malformed-cookies.ts';
import { pool } from '../support/probes.ts';
import { requireVariantService } from '../support/backends.ts';
import { parserRejects, rawGet } from '../support/raw-request.ts';
import { captureLogs, serve } from '../support/server.ts';

const seed = Number(process.env.FAULT_SEED ?? 20_260_507);
const total = 2_000;
// Step 01's cookie is not signed: a changed copy of a real cookie is a real session there, by design.
const unsigned = new Set(['01-raw-http']);

for (const variant of listSteps()
  .flatMap(stepVariants)
  .filter((v) => !v.locked)) {
  // The article's port turns some junk into a stored session (lesson 03): there, only "no 500".
  const promise = variant.keepsArticleFlaws
    ? 'never a 500, never a crash'
    : 'never a 500, never a crash, each one an empty session';
  test(`${total} malformed Cookie headers against ${variant.label}: ${promise} (seed ${seed})`, async (t) => {
    if (!(await requireVariantService(t, variant))) return;
    // Made before the app exists: building them (a few hundred zlib bombs among them) keeps this
    // process busy for seconds on a loaded machine, which would stall the server's own first
    // connection to its backend, in this same process, past its timeout.
    const cases = malformedCookies(seed, total, 'session');
    const built = await buildVariant(variant);
    t.after(() => built.close());
    const app = built.app;
    assert.equal(app.config.SESSION_COOKIE_NAME, 'session');
    const logs = captureLogs(app);
    const server = await serve(app, t);
    const port = Number(new URL(server.base).port);
    const name = app.config.SESSION_COOKIE_NAME;
    if (!unsigned.has(variant.step)) {
      const genuine =
        (await fetchRaw(server.base, '/test1/')).setCookies[0]?.split(';')[0]?.slice(name.length + 1) ?? '';
      const random = seededRandom(seed + 1);
      for (let i = 0; i < total; i += 10)
        cases[i] = {
          family: 'mutatedGenuine',
          bytes: Buffer.from(mutatedGenuine(random, name, genuine), 'latin1'),
        };
    }
    const failures: string[] = [];
    await pool(cases, 16, async ({ family, bytes }, index) => {
      const response = await rawGet(port, '/session', bytes);
      const expected = parserRejects(bytes) ? 400 : 200;
      const empty = expected === 400 || variant.keepsArticleFlaws || isEmptySession(response.body);
      if (response.status !== expected || !empty) {
        failures.push(
          `#${index} ${family}: ${response.status} ${response.body.slice(0, 80)} for ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`,
        );
      }
    });
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${total} failed`);
    assert.deepEqual(logs.errors, []);
    const after = await fetchRaw(server.base, '/counter');
    assert.equal(after.status, 200, 'the server still serves after the malformed cookies');
  });
}

// Flask-Session's rule (and ours): a session holding nothing but `_permanent` is empty.
function isEmptySession(body: string): boolean {
  try {
    const data = JSON.parse(body) as unknown;
    return (
      typeof data === 'object' &&
      data !== null &&
      !Array.isArray(data) &&
      Object.keys(data).every((key) => key === '_permanent')
    );
  } catch {
    return false;
  }
}
