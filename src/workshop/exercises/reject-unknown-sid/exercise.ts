import assert from 'node:assert/strict';
import type * as Reference from '../../../03-json-file/json-file-session.ts';
import type { StoredSession } from '../../../03-json-file/session-file.ts';
import type { Exercise } from '../../types.ts';

/** What the learner writes: the sid a request gets, with its stored entry. */
export interface Impl {
  resolveSid: typeof Reference.resolveSid;
}

const known = '0b7c2f57-3d4c-4c4e-9d43-5a0c7e3f1a11';
const fresh = '9e2d6a0b-8f61-4d0e-b1a4-2c9f7e8d5b22';
const stored: StoredSession = { expiresAt: Date.now() + 3_600_000, data: { user: 'alice' } };
const lookup = async (sid: string): Promise<StoredSession | null> => (sid === known ? stored : null);

export const exercise: Exercise<Impl> = {
  id: 'reject-unknown-sid',
  step: '03-json-file',
  title: 'Reject a sid the store does not know (session fixation)',
  lesson: 'lessons/03-json-file.md',
  starter: 'src/workshop/starters/reject-unknown-sid.ts',
  solution: 'src/03-json-file/json-file-session.ts#resolve-sid',
  hint: "Look the cookie's sid up first. When the lookup finds a live entry, resolve to { sid: cookieSid, stored: entry }; in every other case to { sid: newSid(), stored: null }. The article's open_session returned session_class(sid=sid) for a miss: that is the bug.",
  reference: async () => import('../../../03-json-file/json-file-session.ts'),
  checks: [
    {
      name: 'a known sid keeps its stored session',
      async run({ resolveSid }) {
        const result = await resolveSid(known, lookup, () => fresh);
        assert.deepEqual(
          result,
          { sid: known, stored },
          'a cookie whose sid the store holds must keep it: when lookup(cookieSid) finds an entry, resolve to { sid: cookieSid, stored: entry }',
        );
      },
    },
    {
      name: 'a sid the store does not know is replaced by a fresh one',
      async run({ resolveSid }) {
        const chosen = 'c0ffee00-1111-4222-8333-444455556666';
        const result = await resolveSid(chosen, lookup, () => fresh);
        assert.deepEqual(
          result,
          { sid: fresh, stored: null },
          `the attacker's chosen sid ${chosen} was kept: a miss must get newSid(), never the cookie's sid`,
        );
      },
    },
    {
      name: 'a request without a cookie gets a fresh sid',
      async run({ resolveSid }) {
        assert.deepEqual(
          await resolveSid(null, lookup, () => fresh),
          { sid: fresh, stored: null },
          'no cookie (cookieSid null): resolve to { sid: newSid(), stored: null } without calling lookup',
        );
      },
    },
  ],
};
