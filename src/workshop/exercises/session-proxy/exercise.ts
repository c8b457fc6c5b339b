import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestContext, sessionProxy } from '../../../01-raw-http/context.ts';
import { Request } from '../../../01-raw-http/request.ts';
import { Session } from '../../../01-raw-http/session.ts';
import { CheckFailed, expectEqual, expectTrue } from '../../expect.ts';
import type { Exercise } from '../../types.ts';

/** What the learner's starter exports. */
export interface SessionProxyImpl {
  sessionProxy: typeof sessionProxy;
}

function contextWith(session: Session): RequestContext {
  return { request: new Request({ method: 'GET', url: '/', headers: {} }), session };
}

/** A proxy over a real AsyncLocalStorage, made outside any request, as `flask.session` is. */
function proxyOverStorage(impl: SessionProxyImpl): {
  storage: AsyncLocalStorage<RequestContext>;
  proxy: Session;
} {
  const storage = new AsyncLocalStorage<RequestContext>();
  return { storage, proxy: impl.sessionProxy(() => storage.getStore()) };
}

/** Make `session` mean "the session of the request being handled", like `flask.session`. */
export const exercise: Exercise<SessionProxyImpl> = {
  id: 'session-proxy',
  step: '01-raw-http',
  title: 'A session proxy that finds the current request',
  lesson: 'lessons/01-raw-http.md',
  starter: 'src/workshop/starters/session-proxy.ts',
  solution: 'src/01-raw-http/context.ts',
  hint:
    'Return `new Proxy({} as Session, handler)` whose traps (get, set, has, ownKeys, getOwnPropertyDescriptor) ' +
    'look the session up on EVERY use: call getContext(), throw an Error whose message starts with ' +
    'Flask\'s "Working outside of request context." when it returns undefined, set ' +
    '`session.accessed = true`, then forward with Reflect. Bind functions to the real session: Session keeps ' +
    'its data in a #private field, which a Proxy as `this` cannot reach.',
  reference: async () => ({ sessionProxy: (await import('../../../01-raw-http/context.ts')).sessionProxy }),
  checks: [
    {
      name: 'methods and properties reach the real session',
      run(impl) {
        const { storage, proxy } = proxyOverStorage(impl);
        const real = new Session({ user: 'alice' });
        storage.run(contextWith(real), () => {
          proxy.set('cart', 2);
          expectEqual(
            real.get('cart'),
            2,
            "session.set('cart', 2) did not change the request's session: the get trap must return the real session's method, bound to it",
          );
          expectEqual(
            proxy.get('user'),
            'alice',
            "session.get('user') did not read the request's session: the get trap must look the session up with getContext() and read from it",
          );
          expectEqual(
            proxy.size,
            2,
            'session.size did not read the real session: forward property reads with Reflect.get(session, key, session)',
          );
          proxy.permanent = true;
          expectEqual(
            real.permanent,
            true,
            'session.permanent = true did not reach the real session: add a set trap that forwards with Reflect.set(session, key, value, session)',
          );
        });
      },
    },
    {
      name: 'each request sees only its own session, even across awaits',
      async run(impl) {
        const { storage, proxy } = proxyOverStorage(impl);
        const seen: string[] = [];
        let releaseAlice = (): void => {};
        const aliceMayGoOn = new Promise<void>((resolve) => (releaseAlice = resolve));
        const alice = storage.run(contextWith(new Session({ user: 'alice' })), async () => {
          await aliceMayGoOn;
          seen.push(`alice's request saw ${String(proxy.get('user'))}`);
        });
        const bob = storage.run(contextWith(new Session({ user: 'bob' })), async () => {
          seen.push(`bob's request saw ${String(proxy.get('user'))}`);
          releaseAlice();
          await alice;
          seen.push(`bob's request saw ${String(proxy.get('user'))}`);
        });
        await Promise.all([alice, bob]);
        const expected = ["bob's request saw bob", "alice's request saw alice", "bob's request saw bob"];
        expectEqual(
          seen,
          expected,
          'two interleaved requests saw the wrong sessions (look the session up on every use; never cache it)',
        );
      },
    },
    {
      name: 'using the session outside a request throws Flask\'s "Working outside of request context." error',
      run(impl) {
        const proxy = impl.sessionProxy(() => undefined);
        let thrown: unknown;
        try {
          proxy.get('user');
        } catch (error) {
          thrown = error;
        }
        expectTrue(
          thrown !== undefined,
          "session.get('user') outside a request returned instead of throwing",
        );
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        if (!message.startsWith('Working outside of request context.')) {
          throw new CheckFailed(
            `outside a request the error must start with "Working outside of request context.", got: ${message}`,
          );
        }
      },
    },
    {
      name: 'any use of the session marks it accessed, reads included',
      run(impl) {
        const { storage, proxy } = proxyOverStorage(impl);
        for (const [what, use] of [
          ["session.get('user')", () => proxy.get('user')],
          ['session.size', () => proxy.size],
          ["session.has('user')", () => proxy.has('user')],
        ] as const) {
          const real = new Session({ user: 'alice' });
          storage.run(contextWith(real), use);
          expectTrue(
            real.accessed,
            `${what} did not set session.accessed: set it in every trap, reads included (a response that read the session needs Vary: Cookie)`,
          );
        }
      },
    },
    {
      name: "'key' in session asks the request's session",
      run(impl) {
        const { storage, proxy } = proxyOverStorage(impl);
        storage.run(contextWith(new Session({ user: 'alice' })), () => {
          for (const [key, expected] of [
            ['modified', true],
            ['permanent', true],
            ['nothing-here', false],
          ] as const) {
            expectEqual(
              key in proxy,
              expected,
              `'${key}' in session gave ${!expected}: add a has trap that asks the real session, Reflect.has(session, key)`,
            );
          }
        });
      },
    },
    {
      name: "Object.keys(session) lists the request's session's own keys",
      run(impl) {
        const { storage, proxy } = proxyOverStorage(impl);
        const real = new Session({ user: 'alice' });
        storage.run(contextWith(real), () => {
          const why =
            "Object.keys(session) must list the real session's keys: add an ownKeys trap (Reflect.ownKeys(session)) and a " +
            'getOwnPropertyDescriptor trap that returns the real descriptor with configurable: true (a Proxy over {} may ' +
            'only report configurable properties that its target lacks)';
          expectEqual(Object.keys(proxy), Object.keys(real), why);
        });
      },
    },
  ],
};
