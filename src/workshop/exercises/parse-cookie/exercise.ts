import type { parseCookie } from '../../../01-raw-http/cookies.ts';
import { CheckFailed, expectEqual, show } from '../../expect.ts';
import type { Exercise } from '../../types.ts';

/** What the learner's starter exports. */
export interface ParseCookieImpl {
  parseCookie: typeof parseCookie;
}

function expectPairs(
  impl: ParseCookieImpl,
  header: string | undefined,
  expected: Array<[string, string]>,
  fix: string,
): void {
  expectEqual(
    impl.parseCookie(header),
    expected,
    `parseCookie(${show(header)}) returned the wrong pairs: ${fix}`,
  );
}

const splitFix =
  'no header is no pairs; split the pairs at ";" and each pair at its FIRST "=" (a value may contain "=")';
const trimFix = 'trim spaces and tabs around each name and each value';
const stripFix =
  "strip what Python's str.strip() strips: ASCII whitespace, \\x1c-\\x1f, U+0085 and Unicode spaces " +
  "such as U+00A0, but not U+FEFF; JavaScript's trim() strips U+FEFF and keeps \\x1c-\\x1f and U+0085";
const quoteFix =
  'split on ";" only outside double quotes, then drop the quotes and undo \\" \\\\ and \\ooo (three octal digits)';

// Headers no browser sends but an attacker might: the parser must shrug them off.
const junk = [
  ';',
  ';;=;',
  '=',
  '=value',
  '"',
  'a="unterminated',
  'a=\\',
  '\u0000\u0001=\u0002',
  'a=%E0%A4%A',
  '\u00ff\u00fe=\u00c3(',
  'x'.repeat(10 * 1024),
  'a=b; '.repeat(2048),
  `k="${'\\'.repeat(5000)}`,
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
    'then `;`, does this in one pass). Split each pair at the FIRST "=", strip both sides as Python\'s ' +
    'str.strip() does (not String.prototype.trim: it also strips U+FEFF and keeps \\x1c-\\x1f and U+0085), ' +
    'skip pairs with an empty name, keep every pair in order. For a value in double quotes, drop the ' +
    'quotes and turn `\\"` into `"`, ' +
    '`\\\\` into `\\` and a backslash plus three octal digits (`\\073`) into that byte. Never decodeURIComponent.',
  reference: async () => ({ parseCookie: (await import('../../../01-raw-http/cookies.ts')).parseCookie }),
  checks: [
    {
      name: 'splits a header into name/value pairs, in order',
      run(impl) {
        expectPairs(impl, undefined, [], splitFix);
        expectPairs(impl, '', [], splitFix);
        expectPairs(
          impl,
          'a=1; b=2',
          [
            ['a', '1'],
            ['b', '2'],
          ],
          splitFix,
        );
        expectPairs(
          impl,
          'a=1;b=2',
          [
            ['a', '1'],
            ['b', '2'],
          ],
          splitFix,
        );
        expectPairs(
          impl,
          'token=abc==; x=1',
          [
            ['token', 'abc=='],
            ['x', '1'],
          ],
          splitFix,
        );
      },
    },
    {
      name: 'trims whitespace around names and values',
      run(impl) {
        expectPairs(
          impl,
          ' a = 1 ;  b=2  ',
          [
            ['a', '1'],
            ['b', '2'],
          ],
          trimFix,
        );
        expectPairs(
          impl,
          'session=abc;\tlang = en',
          [
            ['session', 'abc'],
            ['lang', 'en'],
          ],
          trimFix,
        );
      },
    },
    {
      name: 'keeps repeated names, in order (the request decides which one wins)',
      run(impl) {
        expectPairs(
          impl,
          'a=1; b=2; a=3',
          [
            ['a', '1'],
            ['b', '2'],
            ['a', '3'],
          ],
          'push every pair onto an array; a Map or an object keeps one value per name',
        );
      },
    },
    {
      name: 'unquotes a quoted value and its backslash escapes',
      run(impl) {
        expectPairs(impl, 'a="hello world"', [['a', 'hello world']], quoteFix);
        expectPairs(
          impl,
          'q="b;c"; d=1',
          [
            ['q', 'b;c'],
            ['d', '1'],
          ],
          quoteFix,
        );
        expectPairs(impl, 'a="x\\"y\\\\z"', [['a', 'x"y\\z']], quoteFix);
        expectPairs(impl, 'a="\\073\\054"', [['a', ';,']], quoteFix);
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
            throw new CheckFailed(
              `parseCookie(${show(header)}) threw ${String(error)}; a bad cookie header must never crash the server: never call decodeURIComponent or JSON.parse here, and guard any index you read`,
            );
          }
          const ok =
            Array.isArray(pairs) &&
            pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'));
          if (!ok)
            throw new CheckFailed(
              `parseCookie(${show(header)}) returned ${show(pairs)}, not an array of [name, value] strings: return string pairs only, an empty array when nothing parses`,
            );
        }
      },
    },
    {
      name: "strips what Python's str.strip() strips, which is not what JavaScript's trim() strips",
      run(impl) {
        expectPairs(
          impl,
          'a=\u00a0x\u3000; b=y',
          [
            ['a', 'x'],
            ['b', 'y'],
          ],
          stripFix,
        );
        expectPairs(
          impl,
          'a=x\u0085; \u001cb=y\u001f',
          [
            ['a', 'x'],
            ['b', 'y'],
          ],
          stripFix,
        );
        expectPairs(
          impl,
          'a=\ufeffx; b=y\ufeff',
          [
            ['a', '\ufeffx'],
            ['b', 'y\ufeff'],
          ],
          stripFix,
        );
      },
    },
  ],
};
