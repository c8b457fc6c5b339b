import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { session } from '../../src/01-raw-http/context.ts';
import { buildVariant, listSteps, stepVariants } from '../../src/bench/steps.ts';
import { CookieJar } from '../support/http.ts';
import { requireVariantService } from '../support/backends.ts';
import { captureLogs, serve } from '../support/server.ts';

// A cookie holds about 4 KB (Werkzeug warns above MAX_COOKIE_SIZE, 4093 bytes); a server-side
// store is handed 5 MB, more than memcached's default 1 MB item.
const bigBytes = { cookie: 5_000, server: 5 * 1024 * 1024 } as const;

for (const variant of listSteps().flatMap(stepVariants).filter((v) => !v.locked)) {
  const bytes = bigBytes[variant.storesIn];
  test(`a ${bytes.toLocaleString('en-US')}-byte session on ${variant.label} gets a clear warning or error, and no other session data is lost`, async (t) => {
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

    const big = await owner.fetch(server.base, '/big', { timeoutMs: 30_000 });
    const refused = big.status !== 200;
    if (variant.storesIn === 'cookie') {
      assert.equal(big.status, 200);
      assert.ok(logs.warnings.some((w) => /too large/.test(w)), `expected Werkzeug's cookie size warning, got ${JSON.stringify(logs.warnings)}`);
    } else if (refused) {
      assert.equal(big.status, 503, `a store that refuses the value answers 503 with a reason, not ${big.status}`);
      assert.match(big.body, /session/i);
    }
    assert.equal((JSON.parse((await bystander.fetch(server.base, '/session')).body) as { count?: number }).count, 2, "another visitor's session is untouched");
    const own = JSON.parse((await owner.fetch(server.base, '/session', { timeoutMs: 30_000 })).body) as { count?: number; big?: string };
    assert.equal(own.count, 1, "the owner's earlier data survives");
    if (variant.storesIn === 'server') assert.equal(own.big?.length, refused ? undefined : bytes);
  });
}
