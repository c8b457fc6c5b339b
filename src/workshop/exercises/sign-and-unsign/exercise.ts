import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BadSignature } from '../../../02-signed-cookie/errors.ts';
import type { SecretKey, SignerOptions } from '../../../02-signed-cookie/signer.ts';
import { CheckFailed, show } from '../../expect.ts';
import { NotImplementedError } from '../../not-implemented.ts';
import { timingSafeEqualCalls } from '../../timing-safe-equal-spy.ts';
import type { Check, Exercise } from '../../types.ts';

/** What the learner writes: itsdangerous' `Signer`, its key derivation and key rotation. */
export interface Impl {
  Signer: new (
    secretKey: SecretKey | readonly SecretKey[],
    options?: SignerOptions,
  ) => {
    sign(value: string): string;
    unsign(signed: string): string;
  };
}

interface FlaskCookies {
  vectors: Array<{ name: string; secret_key: string; cookie: string }>;
  key_rotation_flask_3_1_3: Record<'old_cookie_signed_with_old-key' | 'new_cookie', string>;
}

// Real Flask 3.1.3 output (itsdangerous 2.2.0): the cookies the step's own tests are held to.
const flask = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/flask-cookies.json', import.meta.url), 'utf8'),
) as FlaskCookies;
const flaskOptions: SignerOptions = { salt: 'cookie-session', keyDerivation: 'hmac' };
const rotation = flask.key_rotation_flask_3_1_3;
const oldCookie = rotation['old_cookie_signed_with_old-key'];
const newCookie = rotation.new_cookie;

/** A signed text without its last `.signature`: what `sign` was given. */
const unsigned = (signed: string): string => signed.slice(0, signed.lastIndexOf('.'));

// Made with Python's itsdangerous 2.2.0: Signer(secret, **options).sign(value).
const itsdangerousSigned: Array<{ secret: string; options: SignerOptions; value: string; signed: string }> = [
  { secret: 'secret', options: {}, value: 'hello', signed: 'hello.7KTthSs1fJgtbigPvFpQH1bpoGA' },
  { secret: 'test-secret-key', options: {}, value: 'a.b.c', signed: 'a.b.c.vzE99Pk5ht4vfBqD56EtuNYWehk' },
  {
    secret: 'secret',
    options: { salt: 'salt' },
    value: 'hello',
    signed: 'hello.VZwbARjuKpDGaWslX5tZg_VuxiE',
  },
];

/** The MAC of `value` under Flask's key for `secret` (key derivation "hmac", salt "cookie-session"). */
function flaskMac(secret: string, value: string): Buffer {
  const key = createHmac('sha1', secret).update('cookie-session').digest();
  return createHmac('sha1', key).update(value).digest();
}

/** Runs learner code; lets "not started" through, and turns anything else it throws into a verdict. */
function attempt<T>(what: string, fn: () => T, why?: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof NotImplementedError) throw error;
    const thrown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new CheckFailed(`${what} threw ${thrown}${why ? `\n${why}` : ''}`);
  }
}

function expectSigned(actual: string, expected: string, what: string, why: string): void {
  if (actual === expected) return;
  throw new CheckFailed(`${what}\n  expected: ${show(expected)}\n  got:      ${show(actual)}\n${why}`);
}

function expectRefused(signer: InstanceType<Impl['Signer']>, signed: string, what: string): void {
  let result: string;
  try {
    result = signer.unsign(signed);
  } catch (error) {
    if (error instanceof NotImplementedError) throw error;
    if (error instanceof BadSignature) return;
    throw new CheckFailed(
      `unsign(${show(signed)}) (${what}) threw ${String(error)}; throw BadSignature instead ` +
        '(import it from src/02-signed-cookie/errors.ts): the session layer reads that one error as ' +
        '"no session"',
    );
  }
  throw new CheckFailed(
    `unsign(${show(signed)}) (${what}) returned ${show(result)}; it must throw BadSignature`,
  );
}

/**
 * Which of `keys` each timingSafeEqual call tried: one argument is the MAC the cookie carries (made
 * with `signedWith`), the other the MAC made with the key tried, each in bytes or in base64url text.
 */
function keysTried(
  calls: Array<[Buffer, Buffer]>,
  keys: readonly string[],
  signedWith: string,
  value: string,
): string[] {
  const forms = (key: string): Buffer[] => {
    const mac = flaskMac(key, value);
    return [mac, Buffer.from(mac.toString('base64url'))];
  };
  const isMacOf = (key: string, x: Buffer): boolean => forms(key).some((form) => form.equals(x));
  return calls.flatMap(([a, b]) => {
    const other = isMacOf(signedWith, a) ? b : a;
    const key = keys.find((k) => isMacOf(k, other));
    return key === undefined ? [] : [key];
  });
}

const checks: Check<Impl>[] = [
  {
    name: 'sign appends "." and the signature in base64url without padding',
    run: ({ Signer }) => {
      const signed = attempt("sign('hello')", () => new Signer('secret').sign('hello'));
      if (!signed.startsWith('hello.'))
        throw new CheckFailed(
          `sign('hello') gave ${show(signed)}: it must be the value, then ".", then the signature`,
        );
      const signature = signed.slice('hello.'.length);
      if (/^[A-Za-z0-9_-]{27}$/.test(signature)) return;
      const why = signature.includes('=')
        ? "strip the \"=\" padding, as itsdangerous does: Node's digest('base64url') leaves none"
        : /[+/]/.test(signature)
          ? 'use the URL-safe alphabet ("-" and "_" instead of "+" and "/"): digest(\'base64url\')'
          : /^[0-9a-f]{40}$/.test(signature)
            ? 'that is hex: encode the 20 raw bytes of the HMAC-SHA1 in base64url (27 characters)'
            : 'an HMAC-SHA1 is 20 bytes, which base64url writes in 27 characters of A-Z a-z 0-9 - _';
      throw new CheckFailed(`sign('hello') gave the signature ${show(signature)}: ${why}`);
    },
  },
  {
    name: "sign derives the key from the secret and the salt (itsdangerous' django-concat)",
    run: ({ Signer }) => {
      for (const { secret, options, value, signed } of itsdangerousSigned) {
        const what = `new Signer(${show(secret)}, ${show(options)}).sign(${show(value)})`;
        const actual = attempt(what, () => new Signer(secret, options).sign(value));
        const raw = `${value}.${createHmac('sha1', secret).update(value).digest('base64url')}`;
        const why =
          actual === raw
            ? 'you signed with the secret itself. Sign with the key derived from it: by default ' +
              "(django-concat) sha1(salt + 'signer' + secret), the salt being options.salt or " +
              "'itsdangerous.Signer'"
            : "the key is sha1(salt + 'signer' + secret) when options.keyDerivation is 'django-concat' " +
              "or missing; the salt is options.salt, or 'itsdangerous.Signer' when missing";
        expectSigned(actual, signed, what, why);
      }
    },
  },
  {
    name: "sign makes Flask's cookies byte for byte (key derivation 'hmac', salt 'cookie-session')",
    run: ({ Signer }) => {
      for (const { name, secret_key, cookie } of flask.vectors) {
        const value = unsigned(cookie);
        const signer = `new Signer(${show(secret_key)}, ${show(flaskOptions)})`;
        const what = `Flask's ${name} cookie: ${signer}.sign(${show(value)})`;
        const actual = attempt(what, () => new Signer(secret_key, flaskOptions).sign(value));
        const why =
          "with keyDerivation 'hmac' (Flask's choice) the key is an HMAC-SHA1 with the secret as key " +
          'and the salt as message';
        expectSigned(actual, cookie, what, why);
      }
    },
  },
  {
    name: 'unsign returns the value of every cookie Flask signed',
    run: ({ Signer }) => {
      for (const { name, secret_key, cookie } of flask.vectors) {
        const what = `unsign of Flask's ${name} cookie ${show(cookie)}`;
        const why =
          'the signature is what follows the LAST "." (the value has dots of its own); return ' +
          'everything before it';
        const actual = attempt(what, () => new Signer(secret_key, flaskOptions).unsign(cookie), why);
        expectSigned(actual, unsigned(cookie), what, why);
      }
    },
  },
  {
    name: 'unsign throws BadSignature for a changed value, a changed signature, a wrong key or no signature',
    run: ({ Signer }) => {
      const signer = new Signer('test-secret-key', flaskOptions);
      const [cookie] = flask.vectors.map((v) => v.cookie);
      const at = cookie!.lastIndexOf('.') + 1;
      const signature = cookie!.slice(at);
      const otherFirst = signature[0] === 'A' ? 'B' : 'A';
      expectRefused(signer, `x${cookie!.slice(1)}`, 'the value changed');
      expectRefused(
        signer,
        `${cookie!.slice(0, at)}${otherFirst}${signature.slice(1)}`,
        'the signature changed',
      );
      expectRefused(signer, cookie!.slice(0, -1), 'the signature cut short');
      expectRefused(signer, `${cookie!.slice(0, at)}`, 'an empty signature');
      expectRefused(signer, 'no-signature-at-all', 'no "." at all');
      expectRefused(new Signer('another-key', flaskOptions), cookie!, 'signed with another key');
    },
  },
  {
    name: 'unsign compares the signature in constant time',
    run: ({ Signer }) => {
      const [vector] = flask.vectors;
      const signer = new Signer(vector!.secret_key, flaskOptions);
      const calls = timingSafeEqualCalls(() =>
        attempt('unsign of a good cookie', () => signer.unsign(vector!.cookie)),
      );
      if (calls.some(([a]) => a.byteLength >= 20)) return;
      throw new CheckFailed(
        'unsign never compared the signature with crypto.timingSafeEqual. `===` on the text, ' +
          'Buffer.equals and Buffer.compare answer sooner the fewer leading bytes match, which lets an ' +
          'attacker find a valid signature byte by byte. Decode the signature (base64url), recompute ' +
          'the HMAC, check the lengths, then timingSafeEqual (your verifySignature from the ' +
          'constant-time-verify exercise does this). A hand-written loop that visits every byte is ' +
          'constant time too, but this check can only see timingSafeEqual.',
      );
    },
  },
  {
    name: 'a cookie signed with an older key (a fallback) still verifies',
    run: ({ Signer }) => {
      const value = unsigned(oldCookie);
      for (const keys of [
        ['old-key', 'new-key'],
        ['oldest-key', 'old-key', 'new-key'],
      ]) {
        const what = `new Signer(${show(keys)}, ${show(flaskOptions)}).unsign(<signed with 'old-key'>)`;
        const why =
          'every key of the list verifies, not only the current one: that is how a key is retired ' +
          'without logging everyone out';
        const actual = attempt(what, () => new Signer(keys, flaskOptions).unsign(oldCookie), why);
        expectSigned(actual, value, what, why);
      }
    },
  },
  {
    name: 'sign uses only the current key, the last of the list',
    run: ({ Signer }) => {
      const value = unsigned(newCookie);
      for (const keys of [
        ['old-key', 'new-key'],
        ['oldest-key', 'old-key', 'new-key'],
      ]) {
        const what = `new Signer(${show(keys)}, ${show(flaskOptions)}).sign(${show(value)})`;
        const actual = attempt(what, () => new Signer(keys, flaskOptions).sign(value));
        const why =
          'the list is ordered oldest to newest, as Flask passes [...SECRET_KEY_FALLBACKS, SECRET_KEY]: ' +
          'sign with the last key only. (Flask 3.1.0 passed the list the other way round and signed ' +
          'new cookies with an old key.)';
        expectSigned(actual, newCookie, what, why);
      }
    },
  },
  {
    name: 'unsign tries the current key first, then the older keys from newest to oldest',
    run: ({ Signer }) => {
      const keys = ['key-1', 'key-2', 'key-3'];
      const signer = new Signer(keys, flaskOptions);
      for (const [signedWith, expected] of [
        ['key-1', ['key-3', 'key-2', 'key-1']],
        ['key-3', ['key-3']],
      ] as const) {
        const value = 'eyJ1c2VyIjoiYm9iIn0.ZVPxAA';
        const cookie = `${value}.${flaskMac(signedWith, value).toString('base64url')}`;
        const calls = timingSafeEqualCalls(() =>
          attempt(`unsign of a cookie signed with ${signedWith}`, () => signer.unsign(cookie)),
        );
        const tried = keysTried(calls, keys, signedWith, value);
        if (tried[0] === 'key-3' && expected.every((key, i) => tried[i] === key)) continue;
        throw new CheckFailed(
          `with the keys ${show(keys)}, a cookie signed with ${signedWith} was compared against ` +
            `${show(tried)}, in that order; itsdangerous tries ${show(expected)}: reversed(secret_keys), ` +
            'the current key first (most cookies carry it), then the fallbacks from newest to oldest',
        );
      }
    },
  },
];

/** Sign and unsign with itsdangerous' key derivation and key rotation (lesson 02). */
export const exercise: Exercise<Impl> = {
  id: 'sign-and-unsign',
  step: '02-signed-cookie',
  title: 'Sign and unsign, with key derivation and key rotation',
  lesson: 'lessons/02-signed-cookie.md',
  starter: 'src/workshop/starters/sign-and-unsign.ts',
  solution: 'src/02-signed-cookie/signer.ts#derive-key,sign,unsign',
  hint:
    'Constructor: derive one key per secret, once (django-concat: sha1(salt + "signer" + secret); ' +
    'hmac: HMAC-SHA1 keyed with the secret over the salt). sign: value + "." + createHmac("sha1", ' +
    'lastKey).update(value).digest("base64url"). unsign: split at the last ".", then try the keys ' +
    'from the last to the first, comparing with timingSafeEqual after a length check; throw ' +
    'BadSignature when none matches.',
  reference: async () => ({ Signer: (await import('../../../02-signed-cookie/signer.ts')).Signer }),
  checks,
};
