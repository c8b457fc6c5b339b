import type { SessionStore } from '../../../04-flask-session/store.ts';
import type { LruStoreOptions } from '../../starters/types.ts';
import type { Check, Exercise } from '../../types.ts';
import { CheckFailed, show } from '../../expect.ts';

/** What the learner writes: a factory for an in-memory, least-recently-used session store. */
export interface Impl {
  createStore: (options: LruStoreOptions) => SessionStore;
}

const day = 24 * 60 * 60;

/** A store on a clock the check moves by hand. */
function open(impl: Impl, maxEntries = 100) {
  const clock = { ms: Date.UTC(2026, 0, 1) };
  const store = impl.createStore({ maxEntries, now: () => clock.ms });
  return { store, advance: (seconds: number) => (clock.ms += seconds * 1000) };
}

async function expectValue(
  store: SessionStore,
  id: string,
  expected: string | null,
  why: string,
): Promise<void> {
  const value = await store.get(id);
  const actual = value === null ? null : value.toString();
  if (actual !== expected)
    throw new CheckFailed(
      `get(${JSON.stringify(id)}) gave ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}: ${why}`,
    );
}

const checks: Check<Impl>[] = [
  {
    name: 'an id that was never stored reads as null',
    run: async (impl) =>
      expectValue(
        open(impl).store,
        'session:nobody',
        null,
        'a miss is null, never undefined or an empty Buffer',
      ),
  },
  {
    name: 'stored bytes read back unchanged',
    run: async (impl) => {
      const { store } = open(impl);
      await store.set('session:a', Buffer.from('alice'), day);
      await expectValue(
        store,
        'session:a',
        'alice',
        'get must return the bytes set stored (keep them in a Map keyed by the id)',
      );
    },
  },
  {
    name: 'a second set replaces the first',
    run: async (impl) => {
      const { store } = open(impl);
      await store.set('session:a', Buffer.from('first'), day);
      await store.set('session:a', Buffer.from('second'), day);
      await expectValue(
        store,
        'session:a',
        'second',
        'set is an upsert: a second set for the same id replaces the entry',
      );
    },
  },
  {
    name: 'delete removes the entry, and deleting a missing one is fine',
    run: async (impl) => {
      const { store } = open(impl);
      await store.set('session:a', Buffer.from('x'), day);
      await store.delete('session:a');
      await expectValue(
        store,
        'session:a',
        null,
        'a deleted session must be gone (logout): delete removes the id from the Map',
      );
      await store.delete('session:never');
    },
  },
  {
    name: 'an entry expires after its lifetime',
    run: async (impl) => {
      const { store, advance } = open(impl);
      await store.set('session:a', Buffer.from('x'), 60);
      advance(59);
      await expectValue(
        store,
        'session:a',
        'x',
        'still alive 59 s into a 60 s lifetime: an entry is live while expiresAt > options.now()',
      );
      advance(2);
      await expectValue(
        store,
        'session:a',
        null,
        'ttlSeconds has passed: store expiresAt = options.now() + ttlSeconds * 1000 and treat expiresAt <= now() as gone (use options.now(), not Date.now())',
      );
    },
  },
  {
    name: 'the least recently used entry is evicted first',
    run: async (impl) => {
      const { store } = open(impl, 2);
      await store.set('session:a', Buffer.from('A'), day);
      await store.set('session:b', Buffer.from('B'), day);
      await store.get('session:a'); // a read makes a the most recently used
      await store.set('session:c', Buffer.from('C'), day);
      await expectValue(
        store,
        'session:b',
        null,
        'b was used least recently, so it goes when c arrives: when size > maxEntries, delete the first key of the Map',
      );
      await expectValue(
        store,
        'session:a',
        'A',
        'a was read after b was written, and a read counts as a use: on get, delete the key and set it again so it moves to the end',
      );
      await expectValue(
        store,
        'session:c',
        'C',
        'the newest entry stays: evict after inserting, and only while size > maxEntries',
      );
    },
  },
  {
    name: 'a caller cannot change a stored session through its Buffer',
    run: async (impl) => {
      const { store } = open(impl);
      const written = Buffer.from('safe');
      await store.set('session:a', written, day);
      written.write('EVIL');
      (await store.get('session:a'))?.write('EVIL');
      await expectValue(
        store,
        'session:a',
        'safe',
        'copy the bytes on set and on get: a real backend never shares memory with its caller',
      );
    },
  },
  {
    name: 'replace writes over a live entry only: a deleted or expired one stays gone',
    run: async (impl) => {
      const { store, advance } = open(impl);
      await store.set('session:a', Buffer.from('old'), day);
      if ((await store.replace('session:a', Buffer.from('new'), day)) !== true)
        throw new CheckFailed('replace of a live entry must store it and resolve true');
      await expectValue(store, 'session:a', 'new', 'replace stores the new bytes');
      await store.delete('session:a');
      if ((await store.replace('session:a', Buffer.from('back'), day)) !== false)
        throw new CheckFailed('replace after delete must resolve false');
      await expectValue(
        store,
        'session:a',
        null,
        'a request that loaded the session before the logout must not store it again after',
      );
      await store.set('session:b', Buffer.from('b'), 60);
      advance(61);
      if ((await store.replace('session:b', Buffer.from('back'), day)) !== false)
        throw new CheckFailed('replace of an expired entry must resolve false');
      await expectValue(store, 'session:b', null, 'an expired session stays expired');
    },
  },
  {
    name: 'cleanup removes expired entries and counts them',
    run: async (impl) => {
      const { store, advance } = open(impl);
      await store.set('session:short', Buffer.from('s'), 10);
      await store.set('session:long', Buffer.from('l'), day);
      advance(20);
      if (typeof store.cleanup !== 'function') {
        throw new CheckFailed(
          'the store has no cleanup() method: add async cleanup() that deletes every expired entry and resolves to how many it deleted',
        );
      }
      const removed = await store.cleanup();
      if (removed !== 1)
        throw new CheckFailed(
          `cleanup() resolved to ${show(removed)}, expected 1: delete only the expired entries (expiresAt <= now()) and count them`,
        );
      await expectValue(
        store,
        'session:long',
        'l',
        'a live entry survives cleanup: delete only entries with expiresAt <= now()',
      );
    },
  },
  {
    name: 'ids that are prefixes of each other stay apart',
    run: async (impl) => {
      const { store } = open(impl);
      await store.set('session:a', Buffer.from('short'), day);
      await store.set('session:ab', Buffer.from('long'), day);
      await store.delete('session:ab');
      await expectValue(
        store,
        'session:a',
        'short',
        'an id is a whole key: match ids exactly, never by prefix',
      );
    },
  },
  {
    name: 'an empty value is stored and read back empty, not as a missing entry',
    run: async (impl) => {
      const { store } = open(impl);
      await store.set('session:empty', Buffer.alloc(0), day);
      await expectValue(
        store,
        'session:empty',
        '',
        'the contract keeps an empty value: test `entry === undefined`, not the truthiness of its bytes',
      );
    },
  },
  {
    name: 'a lifetime is kept in whole seconds, rounded up and at least one',
    run: async (impl) => {
      const { store, advance } = open(impl);
      await store.set('session:a', Buffer.from('x'), 1.5);
      await store.set('session:b', Buffer.from('y'), 0.2);
      advance(0.9);
      await expectValue(
        store,
        'session:b',
        'y',
        '0.2 s is kept as 1 s (every backend keeps at least one whole second)',
      );
      advance(1);
      await expectValue(
        store,
        'session:a',
        'x',
        "1.5 s is kept as 2 s, as Redis' EX would: Math.max(1, Math.ceil(ttlSeconds))",
      );
      advance(0.2);
      await expectValue(store, 'session:a', null, 'after 2 s a 1.5 s lifetime has ended');
    },
  },
];

/** Lesson 04: write a backend that keeps the store contract. */
export const exercise: Exercise<Impl> = {
  id: 'lru-session-store',
  step: '04-flask-session',
  title: 'Write an in-memory LRU session store',
  lesson: 'lessons/04-flask-session.md',
  starter: 'src/workshop/starters/lru-session-store.ts',
  solution: 'src/04-flask-session/stores/memory-store.ts',
  hint: 'A Map remembers insertion order: delete and re-insert a key on every get and set, and its first key is the least recently used. Store expiresAt = now() + Math.max(1, Math.ceil(ttlSeconds)) * 1000 (whole seconds, at least one) next to a copy of the bytes, and hand out a copy on get. replace checks that a live entry is there before it writes.',
  reference: async () => {
    const { MemoryStore } = await import('../../../04-flask-session/stores/memory-store.ts');
    return { createStore: (options) => new MemoryStore(options) };
  },
  checks,
};
