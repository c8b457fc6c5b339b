import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { session } from '../../src/01-raw-http/context.ts';
import { buildVariant, listSteps, stepVariants } from '../../src/tools/step-variants.ts';
import { CookieJar } from '../support/http.ts';
import { requireVariantService } from '../support/backends.ts';
import { captureLogs, serve } from '../support/server.ts';

// A cookie holds about 4 KB (Werkzeug warns above MAX_COOKIE_SIZE, 4093 bytes); a server-side
// store is handed 5 MiB, far over SESSION_MAX_BYTES (64 KiB) and memcached's 1 MiB item.
const bigBytes = { cookie: 5_000, server: 5 * 1024 * 1024 } as const;

for (const variant of listSteps()
  .flatMap(stepVariants)
  .filter((v) => !v.locked)) {
  const bytes = bigBytes[variant.storesIn];
  const outcome =
    variant.storesIn === 'cookie'
      ? "Werkzeug's size warning"
      : variant.keepsArticleFlaws
        ? 'no limit (the article has none)'
        : 'a 413 naming the cause';
  test(`a ${bytes.toLocaleString('en-US')}-byte session on ${variant.label} gets ${outcome}, and no other session data is lost`, async (t) => {
    if (!(await requireVariantService(t, variant))) return;
    const built = await buildVariant(variant);
    t.after(() => built.close());
    const logs = captureLogs(built.app);
    built.app.get('/big', () => {
      // Random text: zlib cannot shrink it (step 02 compresses the cookie when that helps).
      session.set('big', randomBytes(bytes).toString('base64url').slice(0, bytes));
      return 'stored';
    });
    const server = await serve(built.app, t);
    const [owner, bystander] = [new CookieJar(), new CookieJar()];
    await owner.fetch(server.base, '/counter');
    await bystander.fetch(server.base, '/counter');
    await bystander.fetch(server.base, '/counter');

    const big = await owner.fetch(server.base, '/big', { timeoutMs: 60_000 });
    if (variant.storesIn === 'cookie') {
      assert.equal(big.status, 200);
      assert.ok(
        logs.warnings.some((w) => /too large/.test(w)),
        `expected Werkzeug's cookie size warning, got ${JSON.stringify(logs.warnings)}`,
      );
    } else if (!variant.keepsArticleFlaws) {
      assert.equal(big.status, 413, big.body);
      assert.match(
        big.body,
        /^The session is too large to store: \d+ bytes, more than SESSION_MAX_BYTES \(65536 bytes\)\. This request's changes to it were not saved\.\n$/,
      );
      assert.deepEqual(
        logs.errors,
        [],
        "a session that is too large is the visitor's 413, not a server failure",
      );
    }
    assert.equal(
      (JSON.parse((await bystander.fetch(server.base, '/session')).body) as { count?: number }).count,
      2,
      "another visitor's session is untouched",
    );
    const own = JSON.parse((await owner.fetch(server.base, '/session', { timeoutMs: 60_000 })).body) as {
      count?: number;
      big?: string;
    };
    assert.equal(own.count, 1, "the owner's earlier data survives");
    if (variant.storesIn === 'server' && !variant.keepsArticleFlaws)
      assert.equal(own.big, undefined, 'nothing of the refused session was stored');
  });
}

// Only the variants that need no server: each step's own demo, once.
for (const variant of listSteps().map((step) => stepVariants(step).find((v) => !v.needs)!)) {
  test(`${variant.label}: the demo's login takes a name of 1 to 64 characters and refuses a longer one with a 400`, async (t) => {
    const built = await buildVariant(variant);
    t.after(() => built.close());
    captureLogs(built.app);
    const server = await serve(built.app, t);
    const login = (name: string) =>
      new CookieJar().fetch(server.base, '/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `name=${name}`,
      });
    assert.equal((await login('a'.repeat(64))).status, 200);
    const refused = await login('a'.repeat(65));
    assert.equal(refused.status, 400);
    assert.equal(refused.body, 'Send a name of 1 to 64 characters: curl -d name=alice\n');
  });
}
