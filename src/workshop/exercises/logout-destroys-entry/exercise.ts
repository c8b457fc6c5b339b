import assert from 'node:assert/strict';
import type * as Reference from '../../../03-json-file/json-file-session.ts';
import type { SavedSession, SessionEntries } from '../../../03-json-file/json-file-session.ts';
import type { SessionData } from '../../../01-raw-http/session.ts';
import type { Check, Exercise } from '../../types.ts';

/** What the learner writes: the server side of a save, logout included. */
export interface Impl {
  saveEntry: typeof Reference.saveEntry;
}

const sid = '0b7c2f57-3d4c-4c4e-9d43-5a0c7e3f1a11';
const expiresAt = 1_700_000_000_000 + 7_200_000;

/** A store in a Map, as SessionFile behaves: `replace` writes only over an entry that is there. */
class Entries implements SessionEntries {
  readonly map = new Map<string, { data: SessionData; expiresAt: number }>();
  readonly writes: string[] = [];

  constructor(stored?: SessionData) {
    if (stored) this.map.set(sid, { data: stored, expiresAt: expiresAt - 60_000 });
  }

  async set(key: string, data: SessionData, until: number): Promise<void> {
    this.writes.push(`set(${key})`);
    this.map.set(key, { data, expiresAt: until });
  }

  async replace(key: string, data: SessionData, until: number): Promise<boolean> {
    this.writes.push(`replace(${key})`);
    if (!this.map.has(key)) return false;
    this.map.set(key, { data, expiresAt: until });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.writes.push(`delete(${key})`);
    this.map.delete(key);
  }
}

/** Whether the request changed the session, and whether its sid was never stored. */
type Flags = { modified: boolean; new: boolean };

/** A session as the store opened it: `data` {} or `{_permanent: true}` only is empty. */
function opened(data: SessionData, flags: Flags): SavedSession {
  const isEmpty = Object.keys(data).every((key) => key === '_permanent');
  return { sid, isEmpty, ...flags, toJSON: () => ({ ...data }) };
}

/** Saves a session holding `data` into `entries` with the learner's saveEntry; resolves to its outcome. */
function save(impl: Impl, entries: Entries, data: SessionData, flags: Flags): Promise<unknown> {
  return impl.saveEntry(entries, opened(data, flags), expiresAt);
}

/** Alice is logged in; this request ran `session.clear()` (the demo's /logout). */
async function logout(impl: Impl): Promise<{ entries: Entries; outcome: unknown }> {
  const entries = new Entries({ _permanent: true, user: 'alice' });
  const outcome = await save(impl, entries, { _permanent: true }, { modified: true, new: false });
  return { entries, outcome };
}

const stored = (outcome: unknown): string =>
  `a stored session: resolve to 'stored', not ${JSON.stringify(outcome)}`;

const checks: Check<Impl>[] = [
  {
    name: 'logout deletes the entry, so a saved copy of the cookie finds nothing',
    async run(impl) {
      const { entries } = await logout(impl);
      const left = entries.map.get(sid);
      if (!left) return;
      const what = JSON.stringify(left.data);
      assert.fail(
        Object.keys(left.data).some((key) => key !== '_permanent')
          ? `after logout the store still holds ${what} under the old sid: a copy of the cookie replayed later is still logged in (the article's flaw 9). Deleting the cookie is not enough: delete the entry (entries.delete(sid)).`
          : `after logout the store still holds an entry under the old sid, now ${what}: the sid stays live, and whoever holds the cookie keeps a session. Delete the entry (entries.delete(sid)); do not store an empty one.`,
      );
    },
  },
  {
    name: "logout resolves to 'deleted', so the caller deletes the cookie too",
    async run(impl) {
      const { outcome } = await logout(impl);
      assert.equal(
        outcome,
        'deleted',
        `after logout saveEntry resolved to ${JSON.stringify(outcome)}: resolve to 'deleted', which tells saveSession to delete the cookie as well`,
      );
    },
  },
  {
    name: 'an empty session nobody touched writes nothing',
    async run(impl) {
      const entries = new Entries();
      const outcome = await save(impl, entries, { _permanent: true }, { modified: false, new: true });
      assert.deepEqual(
        entries.writes,
        [],
        `a visitor who never used the session (isEmpty, not modified) caused ${entries.writes.join(', ')}: every bot and health check would write the file. Write nothing.`,
      );
      assert.equal(
        outcome,
        'untouched',
        `an empty, unmodified session: resolve to 'untouched', not ${JSON.stringify(outcome)}`,
      );
    },
  },
  {
    name: 'a new session is inserted under its sid with its expiry',
    async run(impl) {
      const entries = new Entries();
      const outcome = await save(
        impl,
        entries,
        { _permanent: true, user: 'bob' },
        { modified: true, new: true },
      );
      assert.deepEqual(
        entries.map.get(sid),
        { data: { _permanent: true, user: 'bob' }, expiresAt },
        'a new session (session.new: its sid was never stored) must be stored: entries.set(sid, session.toJSON(), expiresAt)',
      );
      assert.equal(outcome, 'stored', stored(outcome));
    },
  },
  {
    name: 'a stored session is saved with its new data and expiry',
    async run(impl) {
      const entries = new Entries({ _permanent: true, user: 'alice' });
      const outcome = await save(
        impl,
        entries,
        { _permanent: true, user: 'alice', count: 2 },
        { modified: true, new: false },
      );
      assert.deepEqual(
        entries.map.get(sid),
        { data: { _permanent: true, user: 'alice', count: 2 }, expiresAt },
        'a session read from the store (not new) must be saved over its entry, with the new data and the new expiresAt',
      );
      assert.equal(outcome, 'stored', stored(outcome));
    },
  },
  {
    name: 'a save after a logout elsewhere does not bring the session back',
    async run(impl) {
      const entries = new Entries(); // another tab logged out while this request ran: the entry is gone
      const outcome = await save(
        impl,
        entries,
        { _permanent: true, user: 'alice', count: 3 },
        { modified: true, new: false },
      );
      assert.ok(
        !entries.map.has(sid),
        "this request loaded Alice's session before a logout in another tab deleted it, and saved after: the entry is back, and the old cookie is logged in again. A session that is not new may be written only while its entry is still there (entries.replace returns false when it is gone).",
      );
      assert.equal(
        outcome,
        'ended',
        `nothing was stored because the entry is gone: resolve to 'ended' (no cookie), not ${JSON.stringify(outcome)}`,
      );
    },
  },
];

export const exercise: Exercise<Impl> = {
  id: 'logout-destroys-entry',
  step: '03-json-file',
  title: 'Log out for real: delete the server-side entry, and never bring it back',
  lesson: 'lessons/03-json-file.md',
  starter: 'src/workshop/starters/logout-destroys-entry.ts',
  solution: 'src/03-json-file/json-file-session.ts#save-entry',
  hint: "Three cases, in this order. An empty session (session.isEmpty): if it was not modified, write nothing ('untouched'); else entries.delete(sid) and 'deleted'. A new session (session.new): entries.set(...) and 'stored'. Any other: entries.replace(...), which resolves false when the entry is gone: then 'ended', else 'stored'.",
  reference: async () => import('../../../03-json-file/json-file-session.ts'),
  checks,
};
