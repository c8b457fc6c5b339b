import { Flask } from '../../../01-raw-http/app.ts';
import { Response } from '../../../01-raw-http/response.ts';
import type { FlaskSessionConfig } from '../../../04-flask-session/config.ts';
import { makeSerializer } from '../../../04-flask-session/serializer.ts';
import { ServerSideSessionInterface } from '../../../04-flask-session/server-side-interface.ts';
import { ServerSideSession } from '../../../04-flask-session/server-side-session.ts';
import { MemoryStore } from '../../../04-flask-session/stores/memory-store.ts';
import { CheckFailed } from '../../expect.ts';
import type { RegenerateAtLogin } from '../../starters/types.ts';
import type { Check, Exercise } from '../../types.ts';

/** What the learner writes: the part of logging in that moves the session to a fresh sid. */
export interface Impl {
  regenerate: RegenerateAtLogin;
}

const serializer = makeSerializer('msgpack');
const planted = 'attacker-planted-sid-0123456789abcdefghijk';

/**
 * The attack, set up: the attacker opened a session (a stored entry under `planted`) and got the
 * victim's browser to send that sid. The victim's request has loaded it.
 */
async function fixated() {
  const store = new MemoryStore();
  const iface = new ServerSideSessionInterface({ store, keyPrefix: 'session:', sidLength: 32 });
  const data: Array<[string, unknown]> = [
    ['_permanent', true],
    ['cart', ['apple']],
  ];
  await store.set(`session:${planted}`, serializer.dumps(Object.fromEntries(data)), 3600);
  return { store, iface, session: new ServerSideSession(data, planted) };
}

async function stored(store: MemoryStore, sid: string): Promise<Record<string, unknown> | null> {
  const bytes = await store.get(`session:${sid}`);
  return bytes ? (serializer.loads(bytes) as Record<string, unknown>) : null;
}

const checks: Check<Impl>[] = [
  {
    name: 'the session gets a new sid of sidLength random bytes',
    run: async (impl) => {
      const { iface, session } = await fixated();
      await impl.regenerate(iface, session);
      if (session.sid === planted)
        throw new CheckFailed(
          'the sid is still the planted one: give the session a new sid (session.sid = …)',
        );
      if (!/^[A-Za-z0-9_-]{43}$/.test(session.sid)) {
        throw new CheckFailed(
          `the new sid ${JSON.stringify(session.sid)} is not 32 random bytes in URL-safe base64 (43 characters): randomBytes(iface.sidLength).toString('base64url')`,
        );
      }
      const other = await fixated();
      await impl.regenerate(other.iface, other.session);
      if (other.session.sid === session.sid)
        throw new CheckFailed('two logins got the same new sid: each sid must be fresh randomness');
    },
  },
  {
    name: 'the old entry is deleted from the store',
    run: async (impl) => {
      const { store, iface, session } = await fixated();
      await impl.regenerate(iface, session);
      if (await stored(store, planted)) {
        throw new CheckFailed(
          `session:${planted} is still in the store: the attacker's copy of the cookie still opens it. Delete iface.keyPrefix + the old sid`,
        );
      }
    },
  },
  {
    name: 'the data stays with the session',
    run: async (impl) => {
      const { iface, session } = await fixated();
      await impl.regenerate(iface, session);
      const cart = JSON.stringify(session.get('cart') ?? null);
      if (cart !== '["apple"]')
        throw new CheckFailed(
          `the cart is ${cart} after regenerate: only the sid changes, the data moves with it (express-session's regenerate drops it: do not)`,
        );
    },
  },
  {
    name: 'the next save inserts the session under its new sid',
    run: async (impl) => {
      const { store, iface, session } = await fixated();
      await impl.regenerate(iface, session);
      session.set('user', 'alice');
      const app = new Flask<FlaskSessionConfig>({ SECRET_KEY: 'k' } as FlaskSessionConfig);
      await iface.saveSession(app, session, new Response());
      const saved = await stored(store, session.sid);
      if (!saved) {
        throw new CheckFailed(
          'after login nothing was stored under the new sid: a session read from the store is saved with replace(), which refuses a sid that was never stored. Set session.new = true (and session.modified = true) so the save inserts it',
        );
      }
      if (saved.user !== 'alice')
        throw new CheckFailed(`the stored session is ${JSON.stringify(saved)}: it should hold the user`);
    },
  },
  {
    name: 'a login that changes no data still sends the new sid to the browser',
    run: async (impl) => {
      const store = new MemoryStore();
      const iface = new ServerSideSessionInterface({ store, keyPrefix: 'session:', sidLength: 32 });
      // Not permanent, so no refresh sends the cookie: only `modified` does.
      const data: Array<[string, unknown]> = [['user', 'alice']];
      await store.set(`session:${planted}`, serializer.dumps(Object.fromEntries(data)), 3600);
      const session = new ServerSideSession(data, planted);
      await impl.regenerate(iface, session);
      const app = new Flask<FlaskSessionConfig>({ SECRET_KEY: 'k' } as FlaskSessionConfig);
      const response = new Response();
      await iface.saveSession(app, session, response);
      if (!response.getHeaders('Set-Cookie').some((cookie) => cookie.includes(session.sid))) {
        throw new CheckFailed(
          'the response does not send the new sid, so the browser keeps the old one, whose entry is gone: the user is logged out. Set session.modified = true so the save sends the cookie',
        );
      }
    },
  },
  {
    name: 'an empty session is left alone: nothing was stored, so nothing moves',
    run: async (impl) => {
      const store = new MemoryStore();
      const iface = new ServerSideSessionInterface({ store, keyPrefix: 'session:', sidLength: 32 });
      const session = new ServerSideSession(
        [['_permanent', true]],
        'fresh-sid-never-stored-0123456789abcdefgh',
      );
      session.new = true;
      await impl.regenerate(iface, session);
      if (session.modified) {
        throw new CheckFailed(
          'regenerate marked an empty session modified, so its save deletes a cookie it never sent: return at once when session.isEmpty',
        );
      }
    },
  },
];

/** Lesson 04: the login path that makes a planted sid worthless. */
export const exercise: Exercise<Impl> = {
  id: 'regenerate-at-login',
  step: '04-flask-session',
  title: 'Give the session a fresh sid at login (session fixation)',
  lesson: 'lessons/04-flask-session.md',
  starter: 'src/workshop/starters/regenerate-at-login.ts',
  solution: 'src/04-flask-session/server-side-interface.ts#regenerate',
  hint: 'Four steps, in this order: return if session.isEmpty; delete iface.keyPrefix + the old sid from iface.store; give session.sid fresh randomness (randomBytes from node:crypto, iface.sidLength bytes, base64url); set session.new and session.modified to true.',
  reference: async () => ({
    regenerate: (iface, session) =>
      (iface as ServerSideSessionInterface).regenerate(session as ServerSideSession),
  }),
  checks,
};
