import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { connectSql, type SessionDb } from '../../src/04-flask-session/stores/sql-connect.ts';
import { SqlStore } from '../../src/04-flask-session/stores/sql-store.ts';
import { backendUrls, requireBackend } from '../support/backends.ts';
import { storeContract, TestClock } from '../support/store-contract.ts';

const root = await mkdtemp(join(tmpdir(), 'session-lab-sql-'));
after(() => rm(root, { recursive: true, force: true }));
const table = `sessions_${randomBytes(6).toString('hex')}`;

interface Target {
  name: string;
  url: string;
  available?: (t: TestContext) => Promise<boolean>;
}
const targets: Target[] = [
  { name: 'sqlite', url: `sqlite:${join(root, 'sessions.sqlite3')}` },
  { name: 'postgres', url: backendUrls.postgres, available: (t) => requireBackend(t, 'postgres') },
  { name: 'mariadb', url: backendUrls.mysql, available: (t) => requireBackend(t, 'mysql') },
];

for (const target of targets) {
  let db: SessionDb | undefined;
  const shared = (): SessionDb => (db ??= connectSql(target.url));
  after(async () => {
    if (!db) return;
    await db.schema.dropTable(table).ifExists().execute();
    await db.destroy();
  });

  storeContract({
    name: target.name,
    expiry: 'store',
    cleanup: true,
    ...(target.available ? { available: target.available } : {}),
    open: (clock) => new SqlStore({ db: shared(), table, now: clock.now }),
  });

  describe(`the ${target.name} session table`, () => {
    test("has Flask-Session 0.8's columns: id, session_id (unique), data, expiry", async (t) => {
      if (target.available && !(await target.available(t))) return;
      const store = new SqlStore({ db: shared(), table });
      await store.set('session:layout', Buffer.from('x'), 60);
      const tables = await shared().introspection.getTables();
      const columns = tables.find((tb) => tb.name === table)?.columns.map((c) => c.name);
      assert.deepEqual(columns?.sort(), ['data', 'expiry', 'id', 'session_id']);
      await assert.rejects(
        sql`insert into ${sql.table(table)} (session_id, data, expiry) values ('session:layout', ${Buffer.from('y')}, '2030-01-01 00:00:00')`.execute(
          shared(),
        ),
        'a second row with the same session_id is refused',
      );
    });

    test('stores expiry as naive UTC, the way SQLAlchemy wrote it for Flask-Session', async (t) => {
      if (target.available && !(await target.available(t))) return;
      const clock = new TestClock();
      clock.ms = Date.UTC(2026, 0, 2, 3, 4, 5);
      const store = new SqlStore({ db: shared(), table, now: clock.now });
      await store.set('session:utc', Buffer.from('x'), 60);
      const { rows } = await sql<{
        expiry: string;
      }>`select ${sql.raw(target.name === 'postgres' ? "to_char(expiry, 'YYYY-MM-DD HH24:MI:SS')" : target.name === 'mariadb' ? "date_format(expiry, '%Y-%m-%d %H:%i:%s')" : 'substr(expiry, 1, 19)')} as expiry from ${sql.table(table)} where session_id = 'session:utc'`.execute(
        shared(),
      );
      assert.equal(rows[0]?.expiry, '2026-01-02 03:05:05');
    });
  });
}
