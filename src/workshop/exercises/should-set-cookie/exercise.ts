import { Flask } from '../../../01-raw-http/app.ts';
import { Session } from '../../../01-raw-http/session.ts';
import type { SessionInterface } from '../../../02-signed-cookie/session-interface.ts';
import type { Check, Exercise } from '../../types.ts';
import { CheckFailed } from '../../expect.ts';

/** What the learner writes: Flask's `SessionInterface.should_set_cookie`. */
export interface Impl {
  shouldSetCookie: SessionInterface['shouldSetCookie'];
}

function session(state: { modified: boolean; permanent: boolean }): Session {
  const s = new Session(state.permanent ? [['_permanent', true]] : []);
  s.set('user', 'alice');
  s.modified = state.modified;
  return s;
}

function expectDecision(
  impl: Impl,
  state: { modified: boolean; permanent: boolean },
  refresh: boolean,
  expected: boolean,
  why: string,
): void {
  const app = new Flask({ SECRET_KEY: 'k', SESSION_REFRESH_EACH_REQUEST: refresh });
  const actual = impl.shouldSetCookie(app, session(state));
  if (actual !== expected) {
    const what = `${state.modified ? 'modified' : 'unmodified'} ${state.permanent ? 'permanent' : 'browser-session'} session, SESSION_REFRESH_EACH_REQUEST=${refresh}`;
    throw new CheckFailed(`${what}: got ${actual}, expected ${expected}: ${why}`);
  }
}

const checks: Check<Impl>[] = [
  {
    name: 'a modified session is saved',
    run: (impl) =>
      expectDecision(
        impl,
        { modified: true, permanent: false },
        true,
        true,
        'a change must reach the cookie: return true whenever session.modified is true',
      ),
  },
  {
    name: 'an unmodified browser-session cookie is not re-sent',
    run: (impl) =>
      expectDecision(
        impl,
        { modified: false, permanent: false },
        true,
        false,
        'nothing changed and there is no expiry to slide: a browser-session cookie is re-sent only when session.modified',
      ),
  },
  {
    name: 'an unmodified permanent session is re-sent to slide its expiry',
    run: (impl) =>
      expectDecision(
        impl,
        { modified: false, permanent: true },
        true,
        true,
        'a permanent session gets a fresh Expires and timestamp on every request: return true when session.permanent and app.config.SESSION_REFRESH_EACH_REQUEST',
      ),
  },
  {
    name: 'SESSION_REFRESH_EACH_REQUEST false stops the refresh',
    run: (impl) =>
      expectDecision(
        impl,
        { modified: false, permanent: true },
        false,
        false,
        'the app turned refreshing off: the permanent-session reason needs app.config.SESSION_REFRESH_EACH_REQUEST to be true',
      ),
  },
  {
    name: 'a modified permanent session is saved even without refresh',
    run: (impl) =>
      expectDecision(
        impl,
        { modified: true, permanent: true },
        false,
        true,
        'a change is always saved, whatever SESSION_REFRESH_EACH_REQUEST says: check session.modified first',
      ),
  },
];

/** When the session cookie is sent (lesson 02). */
export const exercise: Exercise<Impl> = {
  id: 'should-set-cookie',
  step: '02-signed-cookie',
  title: 'Decide when to send the session cookie',
  lesson: 'lessons/02-signed-cookie.md',
  starter: 'src/workshop/starters/should-set-cookie.ts',
  solution: 'src/02-signed-cookie/session-interface.ts#expiry-rules',
  hint: 'Two reasons to send it: the session changed, or it is permanent and app.config.SESSION_REFRESH_EACH_REQUEST is on.',
  reference: async () => {
    const { SecureCookieSessionInterface } =
      await import('../../../02-signed-cookie/secure-cookie-interface.ts');
    const iface = new SecureCookieSessionInterface();
    return { shouldSetCookie: (app, s) => iface.shouldSetCookie(app, s) };
  },
  checks,
};
