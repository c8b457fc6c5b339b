import type { parseCookie } from '../../../01-raw-http/cookies.ts';
import { CheckFailed, expectEqual, show } from '../../expect.ts';
import type { Exercise } from '../../types.ts';

/** What the learner's starter exports. */
export interface ParseCookieImpl {
  parseCookie: typeof parseCookie;
}

function expectPairs(impl: ParseCookieImpl, header: string | undefined, expected: Array<[string, string]>): void {
  expectEqual(impl.parseCookie(header), expected, `parseCookie(${show(header)}) returned the wrong pairs`);
}

// Headers no browser sends but an attacker might: the parser must shrug them off.
const junk = [
  ';', ';;=;', '=', '=value', '"', 'a="unterminated', 'a=\\', '\u0000\u0001=\u0002', 'a=%E0%A4%A',
  '\u00ff\u00fe=\u00c3(', 'x'.repeat(10 * 1024), 'a=b; '.repeat(2048), `k="${'\\'.repeat(5000)}`,
];

/** Parse a Cookie header by hand, the way Werkzeug does. */
export const exercise: Exercise<ParseCookieImpl> = {
  id: 'parse-cookie',
  step: '01-raw-http',
  title: 'Parse a Cookie header by hand',
  lesson: 'lessons/01-raw-http.md',
  starter: 'src/workshop/starters/parse-cookie.ts',
  solution: 'src/01-raw-http/cookies.ts#parse-cookie',
  hint:
    'Split on ";" only outside double quotes (a regular expression that matches a quoted value or a bare one, ' +
    'then `;`, does this in one pass). Split each pair at the FIRST "=", trim both sides, skip pairs with an ' +
    'empty name, keep every pair in order. For a value in double quotes, drop the quotes and turn `\\"` into `"`, ' +
    '`\\\\` into `\\` and a backslash plus three octal digits (`\\073`) into that byte. Never decodeURIComponent.',
  reference: async () => ({ parseCookie: (await import('../../../01-raw-http/cookies.ts')).parseCookie }),
  checks: [
    {
      name: 'splits a header into name/value pairs, in order',
      run(impl) {
        expectPairs(impl, undefined, []);
        expectPairs(impl, '', []);
        expectPairs(impl, 'a=1; b=2', [['a', '1'], ['b', '2']]);
        expectPairs(impl, 'a=1;b=2', [['a', '1'], ['b', '2']]);
        expectPairs(impl, 'token=abc==; x=1', [['token', 'abc=='], ['x', '1']]);
      },
    },
    {
      name: 'trims whitespace around names and values',
      run(impl) {
        expectPairs(impl, ' a = 1 ;  b=2  ', [['a', '1'], ['b', '2']]);
        expectPairs(impl, 'session=abc;\tlang = en', [['session', 'abc'], ['lang', 'en']]);
      },
    },
    {
      name: 'keeps repeated names, in order (the request decides which one wins)',
      run(impl) {
        expectPairs(impl, 'a=1; b=2; a=3', [['a', '1'], ['b', '2'], ['a', '3']]);
      },
    },
    {
      name: 'unquotes a quoted value and its backslash escapes',
      run(impl) {
        expectPairs(impl, 'a="hello world"', [['a', 'hello world']]);
        expectPairs(impl, 'q="b;c"; d=1', [['q', 'b;c'], ['d', '1']]);
        expectPairs(impl, 'a="x\\"y\\\\z"', [['a', 'x"y\\z']]);
        expectPairs(impl, 'a="\\073\\054"', [['a', ';,']]);
      },
    },
    {
      name: 'never throws on junk, huge or non-UTF-8 headers, and returns only string pairs',
      run(impl) {
        for (const header of junk) {
          let pairs: unknown;
          try {
            pairs = impl.parseCookie(header);
          } catch (error) {
            throw new CheckFailed(`parseCookie(${show(header)}) threw ${String(error)}; a bad cookie header must never crash the server`);
          }
          const ok = Array.isArray(pairs) && pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'));
          if (!ok) throw new CheckFailed(`parseCookie(${show(header)}) returned ${show(pairs)}, not an array of [name, value] strings`);
        }
      },
    },
  ],
};
