import { isDeepStrictEqual } from 'node:util';
import { Flask } from '../../../01-raw-http/app.ts';
import { RuntimeError } from '../../../01-raw-http/context.ts';
import type { Session } from '../../../01-raw-http/session.ts';
import type { SessionInterface } from '../../../02-signed-cookie/session-interface.ts';
import { SecureCookieSession } from '../../../02-signed-cookie/session.ts';
import { CheckFailed, show } from '../../expect.ts';
import { NotImplementedError } from '../../not-implemented.ts';
import type { Check, Exercise } from '../../types.ts';

/** What the learner writes: Flask's `make_null_session`, and the `NullSession` it returns. */
export interface Impl {
  makeNullSession: SessionInterface['makeNullSession'];
}

// Flask's exact text, two spaces after "set." included.
const noSecretKey =
  'The session is unavailable because no secret key was set.  Set the secret_key on the application ' +
  'to something unique and secret.';

/** Every way to change a session, and what Flask calls it. */
const writes: ReadonlyArray<[string, (s: Session) => unknown]> = [
  ["session.set('user', 'alice')", (s) => s.set('user', 'alice')],
  ["session.setdefault('user', 'alice')", (s) => s.setdefault('user', 'alice')],
  ["session.pop('user')", (s) => s.pop('user')],
  ["session.pop('user', 'nobody')", (s) => s.pop('user', 'nobody')],
  ["session.delete('user')", (s) => s.delete('user')],
  ['session.clear()', (s) => s.clear()],
  ["session.update({ user: 'alice' })", (s) => s.update({ user: 'alice' })],
  ['session.permanent = true', (s) => (s.permanent = true)],
];

function nullSession(impl: Impl): Session {
  const app = new Flask({ SECRET_KEY: null });
  try {
    return impl.makeNullSession(app);
  } catch (error) {
    if (error instanceof NotImplementedError) throw error;
    throw new CheckFailed(`makeNullSession(app) threw ${String(error)}: making the null session must work`);
  }
}

/** What `write` threw, or undefined when it returned. */
function thrownBy(session: Session, write: (s: Session) => unknown): unknown {
  try {
    write(session);
  } catch (error) {
    if (error instanceof NotImplementedError) throw error;
    return error;
  }
  return undefined;
}

const checks: Check<Impl>[] = [
  {
    name: 'it is a SecureCookieSession, so the rest of Flask can use it like any session',
    run: (impl) => {
      const session = nullSession(impl);
      if (session instanceof SecureCookieSession) return;
      throw new CheckFailed(
        `makeNullSession returned ${show(session)}: return an instance of a class that extends ` +
          "SecureCookieSession (import it from src/02-signed-cookie/session.ts), as Flask's NullSession does",
      );
    },
  },
  {
    name: 'reads work and find nothing',
    run: (impl) => {
      const session = nullSession(impl);
      const reads: ReadonlyArray<[string, () => unknown, unknown]> = [
        ["session.get('user')", () => session.get('user'), undefined],
        ["session.get('user', 'guest')", () => session.get('user', 'guest'), 'guest'],
        ["session.has('user')", () => session.has('user'), false],
        ['session.size', () => session.size, 0],
        ['session.keys()', () => session.keys(), []],
        ['session.permanent', () => session.permanent, false],
      ];
      for (const [what, read, expected] of reads) {
        let actual: unknown;
        try {
          actual = read();
        } catch (error) {
          if (error instanceof NotImplementedError) throw error;
          throw new CheckFailed(
            `${what} threw ${String(error)}: a page that only reads the session (say, "is anyone logged ` +
              'in?") must still work without a secret key. Only writes are refused.',
          );
        }
        if (!isDeepStrictEqual(actual, expected)) {
          throw new CheckFailed(`${what} gave ${show(actual)}; an empty session gives ${show(expected)}`);
        }
      }
    },
  },
  {
    name: "every write throws Flask's RuntimeError",
    run: (impl) => {
      for (const [what, write] of writes) {
        const error = thrownBy(nullSession(impl), write);
        if (error instanceof RuntimeError) continue;
        throw new CheckFailed(
          error === undefined
            ? `${what} was allowed. Without a secret key nothing can be signed, so a write would be lost ` +
                'silently at the end of the request: every write must throw'
            : `${what} threw ${String(error)}; throw RuntimeError (import it from ` +
                'src/01-raw-http/context.ts), the error Flask raises',
        );
      }
    },
  },
  {
    name: "the error says Flask's words: no secret key was set",
    run: (impl) => {
      for (const [what, write] of writes) {
        const error = thrownBy(nullSession(impl), write);
        const message = error instanceof Error ? error.message : String(error);
        if (message === noSecretKey) continue;
        throw new CheckFailed(
          `${what} threw ${JSON.stringify(message)}; Flask's message is ${JSON.stringify(noSecretKey)}`,
        );
      }
    },
  },
  {
    name: 'a refused write changes nothing',
    run: (impl) => {
      for (const [what, write] of writes) {
        const session = nullSession(impl);
        thrownBy(session, write);
        if (session.size === 0 && !session.modified) continue;
        throw new CheckFailed(
          `after ${what} threw, the session holds ${show(session.entries())} ` +
            `(modified: ${session.modified}): ` +
            'throw before changing anything',
        );
      }
    },
  },
];

/** The session Flask hands out without a secret key (lesson 02). */
export const exercise: Exercise<Impl> = {
  id: 'null-session',
  step: '02-signed-cookie',
  title: 'The null session: no secret key, no writes',
  lesson: 'lessons/02-signed-cookie.md',
  starter: 'src/workshop/starters/null-session.ts',
  solution: 'src/02-signed-cookie/session.ts#null-session-class',
  hint:
    'Write a class that extends SecureCookieSession (src/02-signed-cookie/session.ts) and overrides every ' +
    'method that changes the data (set, setdefault, pop, delete, clear, update) to throw new RuntimeError(' +
    'message) (src/01-raw-http/context.ts); leave the reads alone. makeNullSession returns a new one.',
  reference: async () => {
    const { SecureCookieSessionInterface } =
      await import('../../../02-signed-cookie/secure-cookie-interface.ts');
    const iface = new SecureCookieSessionInterface();
    return { makeNullSession: (app) => iface.makeNullSession(app) };
  },
  checks,
};
