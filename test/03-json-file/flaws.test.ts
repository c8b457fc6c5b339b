/**
 * The article's flaws (lessons/03-json-file.md, "What is wrong with it"), one scenario each, run
 * against both stores. Each scenario answers "does this store show the flaw?": the article's
 * port must (it is a faithful port), the fixed store must not.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Signer } from '../../src/02-signed-cookie/signer.ts';
import { CookieJar, fetchRaw } from '../support/http.ts';
import { filesUnder, login, makeLab, sessionOf, sidOf, textsUnder, type Impl } from './lab.ts';

interface Flaw {
  readonly n: number;
  /** What the port does: a sentence. */
  readonly port: string;
  /** What the fixed store does instead. */
  readonly fixed: string;
  shows(impl: Impl, t: TestContext): Promise<boolean>;
}

const uuid4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A made-up sid, signed as Flask-Session signs: anyone can, with the article's published key '123'. */
function forgedCookie(): string {
  return new Signer('123', { salt: 'flask-session', keyDerivation: 'hmac' }).sign(randomUUID());
}

const flaws: Flaw[] = [
  {
    n: 1,
    port: "the static route serves every user's session to anyone",
    fixed: 'no stored session can be fetched under /static/',
    async shows(impl, t) {
      const lab = await makeLab(t, impl);
      const { base } = await lab.start();
      const name = `alice-${randomUUID()}`;
      await login(new CookieJar(), base, name);
      const staticFolder = join(lab.root, 'static');
      const served = await Promise.all(
        (await filesUnder(staticFolder)).map((file) => fetchRaw(base, `/static/${file}`)),
      );
      return served.some((response) => response.status === 200 && response.body.includes(name));
    },
  },
  {
    n: 2,
    port: 'a sid the client made up is adopted, so whoever planted it shares the victim’s session, login included',
    fixed: 'a sid the client made up is replaced by a fresh one, so the planted sid shares nothing',
    async shows(impl, t) {
      const { base } = await (await makeLab(t, impl)).start();
      await new CookieJar().fetch(base, '/test1/'); // someone has visited: the session file exists
      const planted = forgedCookie();
      const victim = new CookieJar();
      victim.cookies.set('session', planted);
      const attackerSees = async (): Promise<string> =>
        (await fetchRaw(base, '/session', { headers: { cookie: `session=${planted}` } })).body;
      await victim.fetch(base, '/counter');
      const beforeLogin = await attackerSees();
      await login(victim, base, 'victim');
      const afterLogin = await attackerSees();
      return beforeLogin.includes('"count":1') || afterLogin.includes('"victim"');
    },
  },
  {
    n: 3,
    port: 'two logins that overlap lose one of the two sessions',
    fixed: 'two logins that overlap both survive',
    async shows(impl, t) {
      const lab = await makeLab(t, impl);
      const { base } = await lab.start();
      const alice = new CookieJar();
      const bob = new CookieJar();
      await alice.fetch(base, '/test1/');
      await bob.fetch(base, '/test1/');
      // Alice's save reaches the disk only after Bob's request has read the file: the unlucky order.
      const held = lab.disk.holdNextWrite();
      const aliceLogin = login(alice, base, 'alice');
      await held;
      await Promise.all([aliceLogin, login(bob, base, 'bob')]);
      const users = [(await sessionOf(alice, base)).user, (await sessionOf(bob, base)).user];
      return !(users[0] === 'alice' && users[1] === 'bob');
    },
  },
  {
    n: 3,
    port: 'after a restart, the first visitor without a cookie wipes every stored session',
    fixed: 'after a restart, a new visitor is added beside the stored sessions',
    async shows(impl, t) {
      const lab = await makeLab(t, impl);
      const alice = new CookieJar();
      await login(alice, (await lab.start()).base, 'alice');
      const restarted = await lab.start(); // a new process: this.val starts out empty
      await new CookieJar().fetch(restarted.base, '/test1/');
      return (await sessionOf(alice, restarted.base)).user !== 'alice';
    },
  },
  {
    n: 4,
    port: 'a crash half-way through a save loses every stored session',
    fixed: 'a crash half-way through a save leaves every stored session intact',
    async shows(impl, t) {
      const lab = await makeLab(t, impl);
      const first = await lab.start();
      const alice = new CookieJar();
      await login(alice, first.base, 'alice');
      lab.disk.crashNextWrite();
      const crashed = await fetchRaw(first.base, '/test1/');
      assert.ok(crashed.status >= 500, 'the request whose save crashed must fail');
      const restarted = await lab.start(); // a new process: nothing of the old one's memory survives
      return (await sessionOf(alice, restarted.base)).user !== 'alice';
    },
  },
  {
    n: 5,
    port: 'an expired session stays in the file for ever',
    fixed: 'an expired session is swept from the file by the next write',
    async shows(impl, t) {
      const lab = await makeLab(t, impl);
      const { base } = await lab.start();
      const alice = new CookieJar();
      await alice.fetch(base, '/test1/');
      lab.clock.now += (7200 + 1) * 1000;
      await new CookieJar().fetch(base, '/test1/'); // someone else's request rewrites the file
      return (await textsUnder(lab.root)).some((text) => text.includes(sidOf(alice)));
    },
  },
  {
    n: 6,
    port: "the expiry stamp shows up in the user's own data as `permanent`",
    fixed: "the expiry is kept beside the user's data, never in it",
    async shows(impl, t) {
      const { base } = await (await makeLab(t, impl)).start();
      const jar = new CookieJar();
      await jar.fetch(base, '/test1/');
      return 'permanent' in (await sessionOf(jar, base));
    },
  },
  {
    n: 7,
    port: 'a cookie that arrives before the session file exists breaks the request',
    fixed: 'a cookie that arrives before the session file exists gets a fresh session',
    async shows(impl, t) {
      const { base } = await (await makeLab(t, impl)).start();
      const response = await fetchRaw(base, '/session', { headers: { cookie: `session=${forgedCookie()}` } });
      return response.status >= 500;
    },
  },
  {
    n: 8,
    port: 'SESSION_USE_SIGNER is on but the cookie carries the bare sid',
    fixed: 'SESSION_USE_SIGNER signs the sid in the cookie',
    async shows(impl, t) {
      const { base } = await (await makeLab(t, impl)).start();
      const jar = new CookieJar();
      assert.equal((await jar.fetch(base, '/test1/')).status, 200);
      assert.ok(jar.cookies.has('session'), 'the visit set a session cookie');
      return uuid4.test(jar.cookies.get('session')!);
    },
  },
  {
    n: 9,
    port: 'logout deletes the cookie but keeps the session in the file: a copy of the cookie saved before is still logged in',
    fixed: 'logout deletes the stored session: a copy of the cookie saved before is not logged in',
    async shows(impl, t) {
      const { base } = await (await makeLab(t, impl)).start();
      const jar = new CookieJar();
      await login(jar, base, 'alice');
      const saved = `session=${jar.cookies.get('session')}`;
      assert.equal((await jar.fetch(base, '/logout', { method: 'POST' })).status, 200);
      assert.equal(jar.cookies.has('session'), false, 'the browser forgot the cookie');
      const replayed = await fetchRaw(base, '/session', { headers: { cookie: saved } });
      return (
        replayed.status === 200 && (JSON.parse(replayed.body) as Record<string, unknown>).user === 'alice'
      );
    },
  },
];

// A store that breaks a staged scenario (a held write that never comes) must fail it, not hang it.
const options = { timeout: 30_000 };

for (const flaw of flaws) {
  test(`flaw ${flaw.n}, the article's port: ${flaw.port}`, options, async (t) => {
    assert.equal(
      await flaw.shows('article', t),
      true,
      `the port no longer shows flaw ${flaw.n}: it is no longer faithful to the article`,
    );
  });
  test(`flaw ${flaw.n}, the fixed store: ${flaw.fixed}`, options, async (t) => {
    assert.equal(await flaw.shows('fixed', t), false, `the fixed store shows flaw ${flaw.n}`);
  });
}
