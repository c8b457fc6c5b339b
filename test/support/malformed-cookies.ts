import { deflateSync } from 'node:zlib';

/** A small seeded PRNG (mulberry32), so every generated case can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const printable = `${b64}!#$%&'()*+./:<=>?@[]^\`{|}~ ",;\\`;
const int = (r: Random, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)]!;
const chars = (r: Random, alphabet: string, n: number): string =>
  Array.from({ length: n }, () => alphabet[int(r, alphabet.length)]).join('');
const b64url = (text: string | Buffer): string => Buffer.from(text).toString('base64url');
const uuid = (r: Random): string =>
  [8, 4, 4, 4, 12]
    .map((n) => chars(r, '0123456789abcdef', n))
    .join('-')
    .replace(/^(.{14})./, '$14');
const timestamp = (r: Random): string =>
  b64url(Buffer.from([int(r, 256), int(r, 256), int(r, 256), int(r, 256)]));

// JSON that is not an object, or not JSON at all: an empty session in every step that reads JSON.
const badJson = [
  '',
  '{',
  '{"a":',
  '[1,2]',
  '42',
  '"text"',
  'null',
  'true',
  '{"a":1',
  '{"a":1}}',
  "{'a':1}",
  '{"a":undefined}',
  '\u0000',
  '{"count":1e999999',
];

// A megabyte of JSON in about a kilobyte of zlib, compressed once: every case carries the same one.
let bomb: string | undefined;
const zlibBomb = (): string =>
  (bomb ??= b64url(deflateSync(Buffer.from(JSON.stringify({ a: 'x'.repeat(1_000_000) })))));

/** One generator per kind of bad cookie value; each returns the raw bytes of a Cookie header. */
const families: Record<string, (r: Random, name: string) => string | Buffer> = {
  randomPrintable: (r, name) => `${name}=${chars(r, printable, int(r, 200))}`,
  randomBase64: (r, name) => `${name}=${chars(r, b64, int(r, 300))}`,
  badBase64: (r, name) =>
    `${name}=${chars(r, b64, 3 + int(r, 40))}${pick(r, ['!', '*', '%', '==', '=', '.', '~~'])}${chars(r, b64, int(r, 10))}`,
  badJsonBase64: (r, name) => `${name}=${b64url(pick(r, badJson))}`,
  truncatedJson: (r, name) => {
    const json = JSON.stringify({ count: int(r, 1000), name: chars(r, b64, 8) });
    return `${name}=${b64url(json.slice(0, 1 + int(r, json.length - 1)))}`;
  },
  huge: (r, name) => `${name}=${chars(r, b64, 4_000 + int(r, 8_000))}`,
  controlBytes: (r, name) =>
    Buffer.concat([
      Buffer.from(`${name}=${chars(r, b64, int(r, 20))}`),
      Buffer.from([int(r, 32) === 9 ? 0 : int(r, 32), 0x7f, 0x80 + int(r, 128)].slice(0, 1 + int(r, 3))),
      Buffer.from(chars(r, b64, int(r, 20))),
    ]),
  highBytes: (r, name) =>
    Buffer.concat([
      Buffer.from(`${name}=`),
      Buffer.from(Array.from({ length: 1 + int(r, 40) }, () => 0x80 + int(r, 128))),
    ]),
  repeatedNames: (r, name) =>
    Array.from({ length: 2 + int(r, 6) }, () => `${name}=${chars(r, b64, int(r, 30))}`).join('; '),
  manyCookies: (r, name) =>
    Array.from(
      { length: 50 + int(r, 150) },
      (_, i) => `${i % 7 ? chars(r, b64, 4) : name}=${chars(r, b64, 8)}`,
    ).join('; '),
  oddSyntax: (r, name) =>
    pick(r, [
      `${name}`,
      `${name}=`,
      `=${name}`,
      `${name}==`,
      `${name}="${chars(r, b64, 20)}"`,
      ` ${name} = ${chars(r, b64, 10)} `,
      `${name}=;;;`,
      `;${name}=a;`,
      `${name.toUpperCase()}=${chars(r, b64, 12)}`,
      `__proto__=${b64url('{"count":9}')}`,
      `constructor=${chars(r, b64, 5)}`,
    ]),
  flaskSigned: (r, name) =>
    `${name}=${b64url(JSON.stringify({ count: int(r, 99) }))}.${timestamp(r)}.${chars(r, b64, 27)}`,
  flaskCompressedBadZlib: (r, name) =>
    `${name}=.${chars(r, b64, 10 + int(r, 60))}.${timestamp(r)}.${chars(r, b64, 27)}`,
  flaskCompressedZlibGarbage: (r, name) =>
    `${name}=.${b64url(deflateSync(Buffer.from(pick(r, badJson) || 'x')))}.${timestamp(r)}.${chars(r, b64, 27)}`,
  flaskHugePayload: (r, name) =>
    `${name}=.${zlibBomb()}${chars(r, b64, int(r, 3))}.${timestamp(r)}.${chars(r, b64, 27)}`,
  flaskFewParts: (r, name) =>
    `${name}=${pick(r, ['.', '..', '...', 'a.b', `.${chars(r, b64, 8)}`, `${chars(r, b64, 8)}..`])}`,
  uuidSid: (r, name) => `${name}=${uuid(r)}`,
  badUuidSid: (r, name) =>
    `${name}=${pick(r, ['../../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '....//....//x', 'a/b', 'C:\\x', '%00', '00000000-0000-0000-0000-00000000000g', `${uuid(r)}.json`, `${uuid(r)}/..`, uuid(r).toUpperCase()])}`,
  tokenSid: (r, name) => `${name}=${chars(r, b64, 43)}`,
  signedSid: (r, name) => `${name}=${chars(r, b64, 43)}.${chars(r, b64, 27)}`,
};

/** One malformed Cookie header: the family it came from and its bytes. */
export interface MalformedCookie {
  family: string;
  bytes: Buffer;
}

/** `count` malformed Cookie headers for a cookie called `name`, the same for the same seed. */
export function malformedCookies(seed: number, count: number, name = 'session'): MalformedCookie[] {
  const random = seededRandom(seed);
  const names = Object.keys(families);
  return Array.from({ length: count }, (_, i) => {
    const family = names[i % names.length]!;
    const value = families[family]!(random, name);
    return { family, bytes: Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1') };
  });
}

/**
 * A genuine cookie value with one character changed (or one letter's case), cut short, or hidden
 * behind a junk cookie of the same name that comes first. The change avoids the last character of each dot-separated
 * part: those may carry only unused base64 bits, and changing them may not change the bytes.
 */
export function mutatedGenuine(random: Random, name: string, genuine: string): string {
  const kind = int(random, 4);
  // The same sid with one letter in the other case: a case-insensitive lookup would still find it.
  if (kind === 3) return `${name}=${flipCase(random, genuine)}`;
  if (kind === 0) return `${name}=${genuine.slice(0, int(random, genuine.length - 1))}`;
  if (kind === 1) return `${name}=${chars(random, b64, 1 + int(random, 40))}; ${name}=${genuine}`;
  const candidates = [...genuine].flatMap((c, i) =>
    b64.includes(c) && b64.includes(genuine[i + 1] ?? '.') ? [i] : [],
  );
  const at = candidates[int(random, candidates.length)] ?? 0;
  const replacement = b64.replace(genuine[at] ?? '', '')[int(random, 63)];
  return `${name}=${genuine.slice(0, at)}${replacement}${genuine.slice(at + 1)}`;
}

function flipCase(random: Random, value: string): string {
  const letters = [...value].flatMap((c, i) =>
    /[A-Za-z]/.test(c) && b64.includes(value[i + 1] ?? '.') ? [i] : [],
  );
  const at = letters[int(random, letters.length)] ?? 0;
  const c = value[at] ?? '';
  return `${value.slice(0, at)}${c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()}${value.slice(at + 1)}`;
}
