import assert from 'node:assert/strict';
import type * as Reference from '../../../03-json-file/session-file.ts';
import type { StoredSession } from '../../../03-json-file/session-file.ts';
import type { Exercise } from '../../types.ts';

/** What the learner writes: the sweep run before every write of the session file. */
export interface Impl {
  sweepExpired: typeof Reference.sweepExpired;
}

const now = 1_700_000_000_000;
const entry = (expiresAt: number): StoredSession => ({ expiresAt, data: { user: 'someone' } });
const sweep = (impl: Impl, entries: Record<string, number>): string[] => {
  const sessions = new Map(Object.entries(entries).map(([sid, expiresAt]) => [sid, entry(expiresAt)]));
  impl.sweepExpired(sessions, now);
  return [...sessions.keys()].sort();
};

export const exercise: Exercise<Impl> = {
  id: 'sweep-expired',
  step: '03-json-file',
  title: 'Sweep expired sessions out of the file',
  lesson: 'lessons/03-json-file.md',
  starter: 'src/workshop/starters/sweep-expired.ts',
  solution: 'src/03-json-file/session-file.ts#sweep-expired',
  hint: 'Walk the Map and delete every entry whose expiresAt <= now (deleting while iterating a Map is safe in JavaScript). Both numbers are milliseconds.',
  reference: async () => import('../../../03-json-file/session-file.ts'),
  checks: [
    {
      name: 'an expired entry is removed',
      run: (impl) =>
        assert.deepEqual(
          sweep(impl, { old: now - 1000 }),
          [],
          'an entry that expired a second ago must be deleted: sessions.delete(sid) for every entry with expiresAt <= now',
        ),
    },
    {
      name: 'a live entry is kept',
      run: (impl) =>
        assert.deepEqual(
          sweep(impl, { live: now + 1000 }),
          ['live'],
          'an entry that expires in a second is live: keep it (both expiresAt and now are milliseconds; compare them as they are)',
        ),
    },
    {
      name: 'an entry that expires at this very moment is removed',
      run: (impl) =>
        assert.deepEqual(
          sweep(impl, { edge: now, live: now + 1 }),
          ['live'],
          'expiresAt === now is expired (the store reads an entry as live only while expiresAt > now)',
        ),
    },
    {
      name: 'every expired entry is removed, however many there are',
      run: (impl) =>
        assert.deepEqual(
          sweep(impl, { a: now - 3, b: now + 5, c: now - 2, d: now - 1 }),
          ['b'],
          'delete all expired entries, not just the first: keep looping after a delete (deleting while iterating a Map is safe)',
        ),
    },
  ],
};
