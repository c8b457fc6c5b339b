import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test, type TestContext } from 'node:test';
import type { SessionStore } from '../../src/04-flask-session/store.ts';
import { waitFor } from './spawn-step.ts';

/** A clock the test moves by hand, handed to the store as its `now`. */
export class TestClock {
  ms = Date.now();
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** How the contract reaches one backend. */
export interface ContractTarget {
  /** Shown in test names: "redis", "sqlite", … */
  readonly name: string;
  /** Resolves false when the test must not run (its server is missing; the guard already skipped or failed it). */
  readonly available?: (t: TestContext) => Promise<boolean> | boolean;
  /** A fresh store on the test's clock. */
  open(clock: TestClock): Promise<SessionStore> | SessionStore;
  /**
   * `store`: expiry follows the injected clock, so the contract checks it. `server`: the server
   * keeps time (Redis, memcached); that backend's own test checks the TTL it sends instead.
   */
  readonly expiry: 'store' | 'server';
  /** True when the backend has no native expiry and so implements `cleanup`. */
  readonly cleanup: boolean;
  /** For a `server` target: the whole seconds the server says an entry has left. */
  readonly ttlOf?: (storeId: string) => Promise<number>;
}

interface Check {
  name: string;
  when?: (target: ContractTarget) => boolean;
  run(
    store: SessionStore,
    id: (suffix?: string) => string,
    clock: TestClock,
    target: ContractTarget,
  ): Promise<void>;
}

const day = 24 * 60 * 60;

const checks: Check[] = [
  {
    name: 'an id that was never stored reads as null',
    run: async (store, id) => assert.equal(await store.get(id()), null),
  },
  {
    name: 'stored bytes read back unchanged, every byte value included',
    run: async (store, id) => {
      const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await store.set(id(), value, day);
      assert.deepEqual(await store.get(id()), value);
    },
  },
  {
    name: 'a second set replaces the first',
    run: async (store, id) => {
      await store.set(id(), Buffer.from('first'), day);
      await store.set(id(), Buffer.from('second'), day);
      assert.equal((await store.get(id()))?.toString(), 'second');
    },
  },
  {
    name: 'delete removes the entry, and deleting a missing entry is not an error',
    run: async (store, id) => {
      await store.set(id(), Buffer.from('x'), day);
      await store.delete(id());
      assert.equal(await store.get(id()), null);
      await store.delete(id());
      await store.delete(id('never-stored'));
    },
  },
  {
    name: 'entries are kept apart by id, even when one id is a prefix of another',
    run: async (store, id) => {
      await store.set(id('a'), Buffer.from('A'), day);
      await store.set(id('ab'), Buffer.from('AB'), day);
      await store.delete(id('ab'));
      assert.equal((await store.get(id('a')))?.toString(), 'A');
      assert.equal(await store.get(id('ab')), null);
    },
  },
  {
    name: 'concurrent first writes of one id all succeed and one of them wins',
    run: async (store, id) => {
      const values = Array.from({ length: 8 }, (_, i) => `writer-${i}`);
      await Promise.all(values.map((v) => store.set(id(), Buffer.from(v), day)));
      assert.ok(
        values.includes((await store.get(id()))?.toString() ?? ''),
        'the stored value is one of the writes',
      );
    },
  },
  {
    name: 'a 100 KiB session round-trips',
    run: async (store, id) => {
      const value = randomBytes(100 * 1024);
      await store.set(id(), value, day);
      assert.deepEqual(await store.get(id()), value);
    },
  },
  {
    name: 'an entry is there until its lifetime ends and gone after it',
    when: (target) => target.expiry === 'store',
    run: async (store, id, clock) => {
      await store.set(id(), Buffer.from('x'), 60);
      clock.advance(59);
      assert.equal((await store.get(id()))?.toString(), 'x');
      clock.advance(2);
      assert.equal(await store.get(id()), null);
    },
  },
  {
    name: 'a set after expiry stores a fresh entry with a fresh lifetime',
    when: (target) => target.expiry === 'store',
    run: async (store, id, clock) => {
      await store.set(id(), Buffer.from('old'), 10);
      clock.advance(20);
      await store.set(id(), Buffer.from('new'), 10);
      assert.equal((await store.get(id()))?.toString(), 'new');
    },
  },
  {
    name: 'replace overwrites a live entry and answers true',
    run: async (store, id) => {
      await store.set(id(), Buffer.from('old'), day);
      assert.equal(await store.replace(id(), Buffer.from('new'), day), true);
      assert.equal((await store.get(id()))?.toString(), 'new');
    },
  },
  {
    name: 'replace refuses an id that was never stored, or was deleted, answers false and writes nothing',
    run: async (store, id) => {
      assert.equal(await store.replace(id('never'), Buffer.from('x'), day), false);
      assert.equal(await store.get(id('never')), null);
      await store.set(id(), Buffer.from('x'), day);
      await store.delete(id());
      assert.equal(await store.replace(id(), Buffer.from('back'), day), false);
      assert.equal(
        await store.get(id()),
        null,
        'a save that follows a logout must not bring the session back',
      );
    },
  },
  {
    name: 'a replace racing a delete of the same id never leaves the entry behind',
    run: async (store, id) => {
      for (let round = 0; round < 10; round++) {
        await store.set(id(), Buffer.from('x'), day);
        const [replaced] = await Promise.all([
          store.replace(id(), Buffer.from('back'), day),
          store.delete(id()),
        ]);
        assert.equal(
          await store.get(id()),
          null,
          `round ${round}: the replace answered ${replaced}, yet the entry is back after the delete`,
        );
      }
    },
  },
  {
    name: 'replace gives the entry its new lifetime',
    when: (target) => target.expiry === 'store',
    run: async (store, id, clock) => {
      await store.set(id(), Buffer.from('old'), 10);
      clock.advance(5);
      assert.equal(await store.replace(id(), Buffer.from('new'), 60), true);
      clock.advance(30);
      assert.equal((await store.get(id()))?.toString(), 'new');
    },
  },
  {
    name: 'replace refuses an expired entry, answers false and writes nothing',
    when: (target) => target.expiry === 'store',
    run: async (store, id, clock) => {
      await store.set(id(), Buffer.from('old'), 10);
      clock.advance(20);
      assert.equal(await store.replace(id(), Buffer.from('new'), day), false);
      assert.equal(await store.get(id()), null);
    },
  },
  {
    name: 'replace refuses an entry whose lifetime the server has ended, answers false and writes nothing',
    when: (target) => target.expiry === 'server',
    run: async (store, id) => {
      await store.set(id(), Buffer.from('old'), 1);
      await waitFor(
        'the server to expire a one-second entry',
        async () => (await store.get(id())) === null,
        30_000,
      );
      assert.equal(await store.replace(id(), Buffer.from('new'), day), false);
      assert.equal(await store.get(id()), null);
    },
  },
  {
    name: 'an empty value is stored and read back empty, not as a missing entry',
    run: async (store, id) => {
      await store.set(id(), Buffer.alloc(0), day);
      assert.deepEqual(await store.get(id()), Buffer.alloc(0));
      assert.equal(await store.replace(id(), Buffer.alloc(0), day), true, 'an empty entry is a live one');
      assert.deepEqual(await store.get(id()), Buffer.alloc(0));
    },
  },
  {
    name: 'a lifetime is kept in whole seconds, rounded up and at least one: 1.5 s lasts 2 s, 0.2 s and 0 s last 1 s',
    when: (target) => target.expiry === 'store',
    run: async (store, id, clock) => {
      clock.ms = Math.ceil(clock.ms / 1000) * 1000; // on a whole second, where every backend's expiry falls alike
      await store.set(id('1.5'), Buffer.from('a'), 1.5);
      await store.set(id('0.2'), Buffer.from('b'), 0.2);
      await store.replace(id('0.2'), Buffer.from('b'), 0.2);
      await store.set(id('0'), Buffer.from('c'), 0);
      const live = async (): Promise<string[]> =>
        (await Promise.all(['1.5', '0.2', '0'].map(async (s) => ((await store.get(id(s))) ? s : '')))).filter(
          Boolean,
        );
      clock.advance(0.999);
      assert.deepEqual(await live(), ['1.5', '0.2', '0']);
      clock.advance(0.001);
      assert.deepEqual(await live(), ['1.5']);
      clock.advance(0.998);
      assert.deepEqual(await live(), ['1.5']);
      clock.advance(0.002);
      assert.deepEqual(await live(), []);
    },
  },
  {
    name: 'the server is given the lifetime in whole seconds, rounded up and at least one: 1.5 s is 2 s, 0.2 s and 0 s are 1 s',
    when: (target) => target.expiry === 'server',
    run: async (store, id, _clock, target) => {
      // A reading can come a clock tick after the write, never before it: the largest of a few is what was given.
      const given = async (ttlSeconds: number, expected: number): Promise<number> => {
        let largest = -1;
        for (let attempt = 0; attempt < 5 && largest !== expected; attempt++) {
          await store.set(id(String(ttlSeconds)), Buffer.from('x'), ttlSeconds);
          largest = Math.max(largest, await target.ttlOf!(id(String(ttlSeconds))));
        }
        return largest;
      };
      assert.equal(await given(day, day), day);
      assert.equal(await given(1.5, 2), 2);
      assert.equal(await given(0.2, 1), 1);
      assert.equal(await given(0, 1), 1);
    },
  },
  {
    name: 'cleanup removes expired entries and keeps live ones',
    when: (target) => target.cleanup,
    run: async (store, id, clock) => {
      await store.set(id('short'), Buffer.from('s'), 10);
      await store.set(id('long'), Buffer.from('l'), day);
      clock.advance(20);
      assert.ok((await store.cleanup!()) >= 1, 'at least the expired entry was removed');
      clock.advance(-20); // back in time: a removed entry must stay removed
      assert.equal(await store.get(id('short')), null);
      assert.equal((await store.get(id('long')))?.toString(), 'l');
    },
  },
];

/**
 * The store contract: every backend runs these same checks against a real server. Each check
 * gets a fresh store, a clock of its own and ids no other test run uses.
 */
export function storeContract(target: ContractTarget): void {
  describe(`the ${target.name} store keeps the store contract`, () => {
    for (const check of checks.filter((c) => !c.when || c.when(target))) {
      test(check.name, async (t) => {
        if (target.available && !(await target.available(t))) return;
        const clock = new TestClock();
        const store = await target.open(clock);
        try {
          assert.equal(
            typeof store.cleanup === 'function',
            target.cleanup,
            'the store has cleanup() exactly when the target says so',
          );
          const run = randomUUID();
          await check.run(store, (suffix = '') => `contract:${run}:${suffix}`, clock, target);
        } finally {
          await store.close();
        }
      });
    }
  });
}
