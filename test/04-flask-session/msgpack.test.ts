import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MsgpackDecodeError, unpackb } from '../../src/04-flask-session/msgpack-decode.ts';
import { packb, UnsupportedValueError } from '../../src/04-flask-session/msgpack-encode.ts';
import { python, requirePythonMsgpack } from '../support/python.ts';

/** A value as JavaScript holds it, the same value as a Python literal, and what decoding gives back when that differs. */
interface Case {
  js: unknown;
  py: string;
  decoded?: unknown;
}

const intBoundaries = [
  0n,
  127n,
  128n,
  255n,
  256n,
  65535n,
  65536n,
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 63n - 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  -1n,
  -32n,
  -33n,
  -128n,
  -129n,
  -32768n,
  -32769n,
  -(2n ** 31n),
  -(2n ** 31n) - 1n,
  -(2n ** 53n) + 1n,
  -(2n ** 53n),
  -(2n ** 63n),
];
const safe = (n: bigint) => n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);

// A Date and the same instant as a Python datetime in UTC.
function dateCase(iso: string): Case {
  const d = new Date(iso);
  const fields = [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds() * 1000,
  ];
  return { js: d, py: `datetime.datetime(${fields.join(', ')}, tzinfo=datetime.timezone.utc)` };
}

const objectOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

const cases: Case[] = [
  { js: null, py: 'None' },
  { js: true, py: 'True' },
  { js: false, py: 'False' },
  ...intBoundaries.map((n): Case => ({ js: safe(n) ? Number(n) : n, py: String(n) })),
  ...[5n, -5000n, 2n ** 40n].map((n): Case => ({ js: n, py: String(n), decoded: Number(n) })),
  { js: 0.25, py: '0.25' },
  { js: -0, py: '-0.0' },
  { js: 1.5e300, py: '1.5e300' },
  { js: NaN, py: "float('nan')" },
  { js: Infinity, py: "float('inf')" },
  { js: -Infinity, py: "float('-inf')" },
  { js: 2 ** 64, py: '2.0 ** 64' },
  { js: 2 ** 53 + 2, py: 'float(2 ** 53 + 2)' },
  ...[0, 31, 32, 255, 256, 65535, 65536].map((n): Case => ({ js: 'a'.repeat(n), py: `'a' * ${n}` })),
  { js: '小'.repeat(11), py: "'小' * 11" }, // 11 characters, 33 bytes: str8, counted in bytes
  { js: '😀\ufeff', py: "'\\U0001F600\\ufeff'" },
  ...[0, 255, 256, 65535, 65536].map((n): Case => ({ js: Buffer.alloc(n, 1), py: `b'\\x01' * ${n}` })),
  ...[15, 16, 65535, 65536].map((n): Case => ({ js: new Array<number>(n).fill(0), py: `[0] * ${n}` })),
  ...[15, 16, 65535, 65536].map((n): Case => ({ js: objectOf(n), py: `{f'k{i}': i for i in range(${n})}` })),
  {
    js: new Map(Array.from({ length: 16 }, (_, i) => [i, -2 * i - 1])),
    py: '{i: -2 * i - 1 for i in range(16)}',
  },
  { js: Object.assign(Object.create(null) as object, { a: 1 }), py: "{'a': 1}", decoded: { a: 1 } },
  {
    js: new Map<unknown, unknown>([[1, new Map([[2, { x: [new Map([[3, 'y']])] }]])]]),
    py: "{1: {2: {'x': [{3: 'y'}]}}}",
  },
  {
    js: new Map<unknown, unknown>([
      [null, 1],
      [true, 2],
      [1.5, 3],
      [Buffer.from('k'), 4],
      [-1, 5],
      [2n ** 63n, 6],
      [[1, 2], 7],
      ['s', 8],
    ]),
    py: "{None: 1, True: 2, 1.5: 3, b'k': 4, -1: 5, 2**63: 6, (1, 2): 7, 's': 8}",
  },
  ...[
    '1970-01-01T00:00:00.000Z',
    '2024-01-02T03:04:05.000Z',
    '2106-02-07T06:28:15.000Z', // 32-bit seconds
    '2024-01-02T03:04:05.123Z',
    '2106-02-07T06:28:16.000Z',
    '2514-05-30T01:53:03.999Z', // 64-bit
    '2514-05-30T01:53:04.000Z',
    '1969-12-31T23:59:59.000Z',
    '1969-12-31T23:59:59.500Z', // 96-bit
    '0001-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
  ].map(dateCase),
];

/** Python's `msgpack.packb(v, use_bin_type=True, datetime=True)` of each case, as hex; computed once. */
let pythonBytes: string[] | undefined;
function pythonHex(): string[] {
  const code = `import datetime, msgpack\nfor v in [${cases.map((c) => c.py).join(',\n')}]:\n  print(msgpack.packb(v, use_bin_type=True, datetime=True).hex())`;
  return (pythonBytes ??= python(code).split('\n'));
}

test("every form a session value takes is packed byte for byte as Python's msgpack (and msgspec) packs it", async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const theirs = pythonHex();
  cases.forEach((c, i) => assert.equal(packb(c.js, 'value').toString('hex'), theirs[i], c.py.slice(0, 60)));
});

test('what Python packs decodes to the expected value and packs back to the same bytes', async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const theirs = pythonHex();
  cases.forEach((c, i) => {
    const value = unpackb(Buffer.from(theirs[i]!, 'hex'));
    assert.deepEqual(value, 'decoded' in c ? c.decoded : c.js, c.py.slice(0, 60));
    assert.equal(packb(value, 'value').toString('hex'), theirs[i], `${c.py.slice(0, 60)} written back`);
  });
});

test('a 64-bit int becomes a number when a double holds it exactly and a bigint beyond 2^53', () => {
  assert.equal(unpackb(Buffer.from('cf0000000000000001', 'hex')), 1);
  assert.equal(unpackb(Buffer.from('d3ffffffffffffffff', 'hex')), -1);
  assert.equal(unpackb(Buffer.from('cf001fffffffffffff', 'hex')), 2 ** 53 - 1);
  assert.equal(unpackb(Buffer.from('cf0020000000000000', 'hex')), 2n ** 53n);
  assert.equal(unpackb(Buffer.from('d3ffe0000000000000', 'hex')), -(2n ** 53n));
  assert.equal(unpackb(Buffer.from('ca3e800000', 'hex')), 0.25, 'a float32 another program wrote');
});

test('a timestamp finer than a millisecond is read to the millisecond, as a Date holds it', () => {
  // 2024-01-02T03:04:05.123456789Z as timestamp 64
  const bytes = Buffer.of(
    0xd7,
    0xff,
    ...Buffer.from(((123456789n << 34n) | 1704164645n).toString(16).padStart(16, '0'), 'hex'),
  );
  assert.deepEqual(unpackb(bytes), new Date('2024-01-02T03:04:05.123Z'));
});

test('values msgspec cannot encode are refused with the path where they sit', () => {
  const refused: Array<[unknown, RegExp]> = [
    [{ cart: [1, 2, () => 1] }, /type function is unsupported \(at session\.cart\[2\]\)/],
    [{ u: undefined }, /type undefined is unsupported \(at session\.u\)/],
    [{ s: Symbol('x') }, /type symbol/],
    [{ c: new (class Cart {})() }, /type Cart/],
    [{ tags: new Set([1]) }, /type Set/],
    [{ m: new Map([[1, { f: () => 1 }]]) }, /at session\.m\[1\]\.f/],
    [{ n: 2n ** 64n }, /Integer 18446744073709551616 does not fit in 64 bits \(at session\.n\)/],
    [{ n: -(2n ** 63n) - 1n }, /does not fit in 64 bits/],
    [{ s: 'a\ud800b' }, /lone surrogate cannot be UTF-8 \(at session\.s\)/],
    [{ d: new Date(NaN) }, /datetime range .* \(at session\.d\)/],
    [{ d: new Date('+010000-01-01T00:00:00Z') }, /datetime range/],
    [{ d: new Date('0000-12-31T23:59:59.999Z') }, /datetime range/],
  ];
  for (const [value, message] of refused)
    assert.throws(
      () => packb(value, 'session'),
      (e) => e instanceof UnsupportedValueError && message.test(e.message),
      message.source,
    );
});

test('nesting is bounded: 256 levels are written and read, deeper (or a cycle) is a clear error both ways', () => {
  const nest = (levels: number): unknown => (levels === 0 ? null : [nest(levels - 1)]);
  const deepest = Buffer.concat([Buffer.alloc(256, 0x91), Buffer.of(0xc0)]);
  assert.deepEqual(packb(nest(256), 'v'), deepest);
  assert.deepEqual(unpackb(deepest), nest(256));
  assert.throws(() => packb(nest(257), 'v'), UnsupportedValueError);
  const loop: unknown[] = [];
  loop.push(loop);
  assert.throws(() => packb({ loop }, 'session'), /Nesting deeper than 256 levels/);
  assert.throws(
    () => unpackb(Buffer.concat([Buffer.alloc(257, 0x91), Buffer.of(0xc0)])),
    /nested deeper than 256 levels/,
  );
  assert.throws(() => unpackb(Buffer.alloc(100_000, 0x91)), MsgpackDecodeError);
});

test('a __proto__ key decodes as an own data property, never as a prototype, and packs back as data', () => {
  const bytes = packb(JSON.parse('{"__proto__": {"polluted": 1}, "list": [{"__proto__": 2}]}'), 'session');
  const value = unpackb(bytes) as Record<string, unknown>;
  assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { polluted: 1 });
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal((value as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(Object.keys((value.list as object[])[0]!), ['__proto__']);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(packb(value, 'session'), bytes);
});

test('malformed bytes are a MsgpackDecodeError that says what is wrong', () => {
  const malformed: Array<[string, RegExp]> = [
    ['', /truncated/],
    ['c1', /0xc1 is not a msgpack type/],
    ['c0c0', /1 bytes after the value/],
    ['a2ff00', /a str that is not UTF-8/],
    ['d5010000', /extension type 1/],
    ['d4ff00', /a timestamp of 1 bytes/],
    ['c70cff3b9aca000000000000000000', /more than 999999999 nanoseconds/],
    ['c70cff000000007fffffffffffffff', /outside Python's datetime range/],
  ];
  for (const [hex, message] of malformed)
    assert.throws(
      () => unpackb(Buffer.from(hex, 'hex')),
      (e) => e instanceof MsgpackDecodeError && message.test(e.message),
      hex,
    );
  assert.equal(
    unpackb(Buffer.from('a3efbbbf', 'hex')),
    '\ufeff',
    'a leading byte-order mark is kept as a character',
  );
});

test('decoded bytes are a copy: reusing the input buffer later changes nothing already decoded', () => {
  const input = Buffer.from('c403010203', 'hex');
  const value = unpackb(input) as Buffer;
  input.fill(0);
  assert.deepEqual(value, Buffer.from([1, 2, 3]));
});

test('a forged 4 GB length or count is refused against the bytes actually there, before anything is read', () => {
  const forged: Array<[string, RegExp]> = [
    ['dbffffffff6162', /truncated: 4294967295 bytes needed, 2 left/], // str32
    ['c6ffffffff6162', /truncated: 4294967295 bytes needed, 2 left/], // bin32
    ['c9ffffffffff6162', /truncated: 4294967295 bytes needed, 2 left/], // ext32
    ['ddffffffff0102', /4294967295 items announced, 2 bytes left/], // array32
    ['dfffffffff0102', /4294967295 items announced, 2 bytes left/], // map32, two bytes an entry
    ['df000000020102', /2 items announced, 2 bytes left/],
  ];
  for (const [hex, message] of forged)
    assert.throws(
      () => unpackb(Buffer.from(hex, 'hex')),
      (e) => e instanceof MsgpackDecodeError && message.test(e.message),
      hex,
    );
});

// Every kind of value, so that truncations and mutations reach every reader.
const rich = packb(
  {
    ints: [0, -1, 200, -200, 70000, -70000, 2 ** 40, -(2 ** 40), 2n ** 63n, -(2n ** 63n)],
    floats: [0.25, -0, NaN],
    text: ['', 'x'.repeat(40), '小明', 'y'.repeat(300)],
    raw: Buffer.from([0, 255, 7]),
    when: [new Date(0), new Date('2024-01-02T03:04:05.123Z'), new Date('1900-01-01T00:00:00Z')],
    byId: new Map<unknown, unknown>([
      [1, { a: [null, true, false] }],
      [Buffer.from('k'), 'v'],
    ]),
    long: new Array<number>(20).fill(3),
  },
  'session',
);

test('every truncation of a valid value is a MsgpackDecodeError', () => {
  for (let length = 0; length < rich.length; length++) {
    assert.throws(
      () => unpackb(rich.subarray(0, length)),
      MsgpackDecodeError,
      `first ${length} of ${rich.length} bytes`,
    );
  }
});

// A small seeded generator: the same mutations on every run, so a failure can be replayed.
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

test('mutated bytes either decode to a value that packs and decodes back the same, or are a MsgpackDecodeError', () => {
  const random = mulberry32(20240102);
  const pick = (n: number) => Math.floor(random() * n);
  for (let round = 0; round < 5000; round++) {
    const bytes = Buffer.from(rich);
    for (let flips = 1 + pick(3); flips > 0; flips--) bytes[pick(bytes.length)] = pick(256);
    let value: unknown;
    try {
      value = unpackb(bytes);
    } catch (error) {
      assert.ok(
        error instanceof MsgpackDecodeError,
        `round ${round}: ${String(error)} for ${bytes.toString('hex')}`,
      );
      continue;
    }
    assert.deepEqual(unpackb(packb(value, 'session')), value, `round ${round}: ${bytes.toString('hex')}`);
  }
});
