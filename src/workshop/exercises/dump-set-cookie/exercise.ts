import type { cookieSizeWarning, dumpCookie } from '../../../01-raw-http/cookies.ts';
import { parseCookie } from '../../../01-raw-http/cookies.ts';
import { CheckFailed, expectEqual, show } from '../../expect.ts';
import { NotImplementedError } from '../../not-implemented.ts';
import type { Exercise } from '../../types.ts';

/** What the learner's starter exports. */
export interface DumpSetCookieImpl {
  dumpCookie: typeof dumpCookie;
  cookieSizeWarning: typeof cookieSizeWarning;
}

type Options = Parameters<typeof dumpCookie>[2];

function expectHeader(
  impl: DumpSetCookieImpl,
  name: string,
  value: string,
  options: Options,
  expected: string,
  fix: string,
): void {
  expectEqual(
    impl.dumpCookie(name, value, options),
    expected,
    `dumpCookie(${show(name)}, ${show(value)}, ${show(options)}) wrote the wrong header: ${fix}`,
  );
}

/** The error `dumpCookie` threw, or undefined when it returned. */
function thrownBy(impl: DumpSetCookieImpl, name: string, value: string, options?: Options): unknown {
  try {
    impl.dumpCookie(name, value, options);
  } catch (error) {
    if (error instanceof NotImplementedError) throw error;
    return error ?? new Error(String(error));
  }
  return undefined;
}

const epoch = 'Thu, 01 Jan 1970 00:00:00 GMT';
const flagFix =
  'write "; HttpOnly" when httpOnly is true and "; Secure" when secure is true, ' +
  'nothing when false or missing';
const zeroFix =
  'test `!== undefined`, not truthiness: Max-Age=0 and Expires in 1970 are how a cookie is deleted';
const orderFix =
  'write the attributes that are set in this order, whatever the order of the options object: ' +
  'Domain, Expires (a Date, seconds since 1970, or a ready string; ' +
  'Date#toUTCString() gives the HTTP date), ' +
  'Max-Age, Secure, HttpOnly, Path, SameSite';
const quoteFix =
  "a value of letters, digits and !#$%&'()*+-./:<=>?@[]^_`{|}~ goes out bare; any other value " +
  'goes in double quotes with `"` and `\\` backslash-escaped and every byte outside printable ' +
  'ASCII (and `,` `;`) as a backslash and three ' +
  'octal digits (`;` is \\073): a header must be printable ASCII, and the value must parse back whole';
const sizeFix = (what: string): string =>
  `${what}: warn when the header's size in UTF-8 bytes (Buffer.byteLength) is above maxSize ` +
  '(default 4093; 0 means no ' +
  "limit), with Werkzeug's message, and return undefined when it fits";

/** Write the Set-Cookie header Werkzeug writes, attributes in order, and warn about an oversized one. */
export const exercise: Exercise<DumpSetCookieImpl> = {
  id: 'dump-set-cookie',
  step: '01-raw-http',
  title: 'Write a Set-Cookie header with its attributes',
  lesson: 'lessons/01-raw-http.md',
  starter: 'src/workshop/starters/dump-set-cookie.ts',
  solution: 'src/01-raw-http/cookies.ts',
  hint:
    "Check the name against the token characters (/^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$/) " +
    'and throw a TypeError otherwise; ' +
    'throw when sameSite is "None" and secure is not true. Start from `${name}=${quoted value}` and append ' +
    '"; Attribute=value" pieces one `if` at a time in the fixed order, ' +
    'testing `!== undefined` for Expires and Max-Age. ' +
    'To quote, walk Buffer.from(value, "utf8") byte by byte. The warning counts Buffer.byteLength(header); ' +
    'its "value" is the part between the first "=" and the first "; ".',
  reference: async () => {
    const cookies = await import('../../../01-raw-http/cookies.ts');
    return { dumpCookie: cookies.dumpCookie, cookieSizeWarning: cookies.cookieSizeWarning };
  },
  checks: [
    {
      name: 'writes name=value, and refuses a name that is not a token',
      run(impl) {
        expectHeader(
          impl,
          'session',
          'abc',
          {},
          'session=abc',
          'with no options the header is just name=value',
        );
        for (const name of ['bad name', 'a;b', 'a=b', '']) {
          if (thrownBy(impl, name, 'v') === undefined) {
            throw new CheckFailed(
              `dumpCookie(${show(name)}, 'v') returned a header: a name must be an RFC 6265 token ` +
                "(letters, digits and !#$%&'*+-.^_`|~), anything else throws a TypeError",
            );
          }
        }
      },
    },
    {
      name: 'writes HttpOnly and Secure as bare flags, only when true',
      run(impl) {
        expectHeader(impl, 'a', 'b', { httpOnly: true }, 'a=b; HttpOnly', flagFix);
        expectHeader(impl, 'a', 'b', { secure: true }, 'a=b; Secure', flagFix);
        expectHeader(impl, 'a', 'b', { httpOnly: false, secure: false }, 'a=b', flagFix);
      },
    },
    {
      name: 'writes Max-Age and Expires even when they are 0 (that is how a cookie is deleted)',
      run(impl) {
        expectHeader(impl, 'a', '', { maxAgeSeconds: 0 }, 'a=; Max-Age=0', zeroFix);
        expectHeader(impl, 'a', '', { expires: 0 }, `a=; Expires=${epoch}`, zeroFix);
      },
    },
    {
      name: "writes Domain, Expires, Max-Age, Secure, HttpOnly, Path and SameSite in Werkzeug's order",
      run(impl) {
        const scrambled: Options = {
          sameSite: 'Lax',
          path: '/',
          httpOnly: true,
          secure: true,
          maxAgeSeconds: 60,
          expires: 1e9,
          domain: 'example.com',
        };
        expectHeader(
          impl,
          'sid',
          'v',
          scrambled,
          'sid=v; Domain=example.com; Expires=Sun, 09 Sep 2001 01:46:40 GMT; Max-Age=60; ' +
            'Secure; HttpOnly; Path=/; SameSite=Lax',
          orderFix,
        );
        expectHeader(
          impl,
          'sid',
          'v',
          { expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)), sameSite: 'Strict' },
          'sid=v; Expires=Wed, 02 Jan 2030 03:04:05 GMT; SameSite=Strict',
          orderFix,
        );
        expectHeader(
          impl,
          'sid',
          'v',
          { path: '/app', httpOnly: true },
          'sid=v; HttpOnly; Path=/app',
          orderFix,
        );
      },
    },
    {
      name: 'refuses SameSite=None without Secure',
      run(impl) {
        for (const options of [
          { sameSite: 'None' },
          { sameSite: 'None', secure: false, httpOnly: true },
        ] as const) {
          if (thrownBy(impl, 'a', 'b', options) === undefined) {
            throw new CheckFailed(
              `dumpCookie('a', 'b', ${show(options)}) returned a header: a browser ignores a ` +
                'SameSite=None cookie that is not Secure, so throw a TypeError instead of sending ' +
                'one that never comes back',
            );
          }
        }
        expectHeader(
          impl,
          'a',
          'b',
          { sameSite: 'None', secure: true },
          'a=b; Secure; SameSite=None',
          'SameSite=None with Secure is a valid cookie',
        );
      },
    },
    {
      name: 'quotes a value, and encodes a path, so that no character ends it early or breaks the header',
      run(impl) {
        expectHeader(impl, 'a', 'eyJjIjoxfQ.Z-_x=', {}, 'a=eyJjIjoxfQ.Z-_x=', quoteFix);
        for (const value of [
          'x; Domain=evil.example',
          'hello world',
          'say "hi"',
          'a,b',
          'back\\slash',
          'tab\there',
          '小明',
        ]) {
          const header = impl.dumpCookie('a', value);
          const back = parseCookie(header)[0];
          const why = back?.[1] === value ? 'is not printable ASCII' : `Werkzeug reads back as ${show(back)}`;
          if (!/^[\x20-\x7e]*$/.test(header) || back?.[0] !== 'a' || back[1] !== value) {
            throw new CheckFailed(
              `dumpCookie('a', ${show(value)}) wrote ${show(header)}, which ` + `${why}: ` + quoteFix,
            );
          }
        }
        expectHeader(
          impl,
          'a',
          'b',
          { path: '/x;Domain=evil' },
          'a=b; Path=/x%3BDomain=evil',
          'percent-encode a ";" in the path (%3B), or it ends the attribute and starts another',
        );
      },
    },
    {
      name: "warns, in Werkzeug's words, about a header over maxSize bytes (4093 by default)",
      run(impl) {
        const at = (size: number): string => `session=${'v'.repeat(size - 'session='.length)}`;
        expectEqual(
          impl.cookieSizeWarning('session', at(4093)),
          undefined,
          sizeFix('a header of exactly 4093 bytes fits'),
        );
        expectEqual(
          impl.cookieSizeWarning('session', at(100), 0),
          undefined,
          sizeFix('maxSize 0 means no limit'),
        );
        const expected =
          "The 'session' cookie is too large: the value was 5000 bytes " +
          'but the header required 26 extra bytes. ' +
          'The final size was 5026 bytes but the limit is 4093 bytes. ' +
          'Browsers may silently ignore cookies larger than this.';
        expectEqual(
          impl.cookieSizeWarning('session', `session=${'v'.repeat(5000)}; HttpOnly; Path=/`),
          expected,
          sizeFix('a 5026-byte header'),
        );
        const wide = `n=${'é'.repeat(1200)}`;
        expectEqual(
          impl
            .cookieSizeWarning('n', wide, 2048)
            ?.includes('The final size was 2402 bytes but the limit is 2048 bytes'),
          true,
          sizeFix('a header of 1202 characters but 2402 bytes'),
        );
      },
    },
  ],
};
