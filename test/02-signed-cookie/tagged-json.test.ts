import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dictFromEntries } from '../../src/02-signed-cookie/dict.ts';
import { dumps, loads, pythonNumber } from '../../src/02-signed-cookie/python-json.ts';
import { Markup, Tuple, UUID } from '../../src/02-signed-cookie/python-types.ts';
import { dumpsTagged, loadsTagged } from '../../src/02-signed-cookie/tagged-json.ts';

test('JSON matches Python byte for byte: code-point key order, ensure_ascii escapes, big ints, float repr', () => {
  const value = dictFromEntries([
    ['\ue000', 1],
    ['\u{1F600}', 2],
    ['z', 'a\x00\x1f\x7f\b\f\n\r\t"\\/<>&\'é😀'],
    ['big', 2n ** 64n],
    ['neg', -(2n ** 63n)],
    ['f', [1e-5, 1e16, -0, 0.5, 123.456, 1e22]],
    ['__proto__', { x: 1 }],
  ]);
  // Printed by Flask 2.2.2: TaggedJSONSerializer().dumps(v) inside an app context.
  const python =
    '{"__proto__":{"x":1},"big":18446744073709551616,"f":[1e-05,1e+16,-0.0,0.5,123.456,1e+22],"neg":-9223372036854775808,' +
    '"z":"a\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t\\"\\\\/<>&\'\\u00e9\\ud83d\\ude00","\\ue000":1,"\\ud83d\\ude00":2}';
  assert.equal(dumpsTagged(value), python);
  assert.deepEqual(loadsTagged(python), value);
});

test('Python floats are written in repr form; safe integers as ints', () => {
  const cases: Array<[number, string]> = [
    [1e-5, '1e-05'],
    [1e-4, '0.0001'],
    [1e16, '1e+16'],
    [1e15 + 0.5, '1000000000000000.5'],
    [-0, '-0.0'],
    [2 ** 53, '9007199254740992.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5e-324, '5e-324'],
    [-1.5e300, '-1.5e+300'],
    [42, '42'],
  ];
  for (const [value, repr] of cases) assert.equal(pythonNumber(value), repr, String(value));
});

test("NaN and Infinity are refused rather than written as Python's invalid bare NaN", () => {
  for (const bad of [NaN, Infinity, -Infinity]) assert.throws(() => dumps({ x: bad }), TypeError);
  for (const text of ['{"x":NaN}', '{"x":Infinity}', '{"x":-Infinity}', '{"x":1e400}'])
    assert.throws(() => loads(text), SyntaxError, text);
});

test('integers beyond 2^53 come back as exact bigints and go out unchanged', () => {
  const value = loads('{"id":12345678901234567890,"small":-7,"f":2.5}');
  assert.deepEqual(value, { id: 12345678901234567890n, small: -7, f: 2.5 });
  assert.equal(dumps(value), '{"f":2.5,"id":12345678901234567890,"small":-7}');
});

test("integers read exactly on both sides of the 15-digit shortcut, and -0 reads as Python's int 0", () => {
  const value = loads(
    '[999999999999999,-99999999999999,9007199254740991,9007199254740993,-0,-0.0]',
  ) as unknown[];
  assert.deepEqual(value.slice(0, 4), [
    999999999999999,
    -99999999999999,
    9007199254740991,
    9007199254740993n,
  ]);
  assert.ok(Object.is(value[4], 0), '-0 is the int 0');
  assert.ok(Object.is(value[5], -0), '-0.0 is the float -0.0');
});

test('strings read the same whether plain, escaped, or both in turns', () => {
  const text = '"plain\\n\\u00e9 and \\"quoted\\" \\\\ end"';
  assert.equal(loads(text), JSON.parse(text));
  assert.equal(loads('""'), '');
  assert.equal(loads('"\\t"'), '\t');
  assert.throws(() => loads('"a\nb"'), SyntaxError, 'a raw control character inside a string');
  assert.throws(() => loads('"abc'), SyntaxError, 'an unterminated string');
});

test('a __proto__ key is kept as data and never becomes a prototype, at any depth', () => {
  const value = loadsTagged(
    '{"__proto__":{"isAdmin":true},"a":[{"__proto__":{"polluted":1}}],"c":{" di":{"__proto____":2}}}',
  ) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__', 'a', 'c']);
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((value as { isAdmin?: unknown }).isAdmin, undefined);
  assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { isAdmin: true });
  assert.equal(
    dumpsTagged(value),
    '{"__proto__":{"isAdmin":true},"a":[{"__proto__":{"polluted":1}}],"c":{"__proto__":2}}',
  );
});

test('every tag round-trips to its JS type', () => {
  const value = {
    t: new Tuple([1, new Tuple(['x'])]),
    b: new Uint8Array([0, 1, 254, 255]),
    m: new Markup('<i>ok</i>'),
    u: new UUID('{12345678-1234-5678-1234-567812345678}'),
    d: new Date(Date.UTC(2030, 11, 31, 23, 59, 58)),
    escaped: { ' u': 'not a uuid' },
    notATag: { ' x': 1, ' t': 2 },
  };
  const json = dumpsTagged(value);
  assert.equal(
    json,
    '{"b":{" b":"AAH+/w=="},"d":{" d":"Tue, 31 Dec 2030 23:59:58 GMT"},"escaped":{" di":{" u__":"not a uuid"}},' +
      '"m":{" m":"<i>ok</i>"},"notATag":{" t":2," x":1},"t":{" t":[1,{" t":["x"]}]},"u":{" u":"12345678123456781234567812345678"}}',
  );
  assert.deepEqual(loadsTagged(json), value);
});

test('a Date loses its milliseconds, as a Python datetime loses its microseconds', () => {
  assert.deepEqual(loadsTagged(dumpsTagged({ d: new Date(1700000000_123) })), {
    d: new Date(1700000000_000),
  });
});

test('an object of a class with __html__ is stored as Markup, and a Map is stored as a dict', () => {
  const html = new (class Safe {
    __html__(): string {
      return '<b>x</b>';
    }
  })();
  assert.equal(dumpsTagged(new Map<string, unknown>([['k', html]])), '{"k":{" m":"<b>x</b>"}}');
});

test('values JSON cannot hold are a TypeError, not a silently dropped key', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  for (const bad of [
    { s: new Set([1]) },
    { u: undefined },
    { f: () => 1 },
    { d: new Date(NaN) },
    circular,
    new Map([[1, 'x']]),
  ]) {
    assert.throws(() => dumpsTagged(bad), TypeError);
  }
});

test('malformed tags are errors: bad base64, bad UUID, a " di" without one key, a " t" without a list', () => {
  for (const text of [
    '{"b":{" b":"***"}}',
    '{"u":{" u":"xyz"}}',
    '{"y":{" di":1}}',
    '{"y":{" di":{}}}',
    '{"t":{" t":"ab"}}',
    '{"m":{" m":1}}',
  ]) {
    assert.throws(() => loadsTagged(text), TypeError, text);
  }
});

test('a " d" that is not an HTTP date decodes to null, as Werkzeug\'s parse_date returns None', () => {
  assert.deepEqual(loadsTagged('{"d":{" d":"yesterday"}}'), { d: null });
});

test("the parser refuses what Python's json.loads refuses", () => {
  for (const text of [
    '',
    '{',
    '{"a":1,}',
    '[1,]',
    '{"a" 1}',
    '"\x01"',
    '"\\x"',
    '01',
    '{"a":1} x',
    "{'a':1}",
  ]) {
    assert.throws(() => loads(text), SyntaxError, JSON.stringify(text));
  }
  assert.deepEqual(loads(' { "a" : [ 1 , "\\u00e9\\ud83d\\ude00" ] } '), { a: [1, 'é😀'] });
  assert.throws(() => loads('['.repeat(2000) + ']'.repeat(2000)), SyntaxError);
});
