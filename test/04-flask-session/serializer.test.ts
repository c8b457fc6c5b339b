import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnsupportedValueError } from '../../src/04-flask-session/msgpack-encode.ts';
import { makeSerializer } from '../../src/04-flask-session/serializer.ts';
import { python, requirePythonMsgpack } from '../support/python.ts';

const msgpack = makeSerializer('msgpack');
const json = makeSerializer('json');

// The same session as a Python literal and as JS data.
const pythonSession =
  "{'_permanent': True, 'user': '小明', 'n': 7, 'big': 1700000000000, 'neg': -5000000000, 'ratio': 0.25, 'raw': b'\\x00\\xff', 'none': None, 'tags': ['a', 1], 'cart': {'apples': 3, 'note': 'x' * 40}}";
const jsSession = {
  _permanent: true,
  user: '小明',
  n: 7,
  big: 1700000000000,
  neg: -5000000000,
  ratio: 0.25,
  raw: Buffer.from([0, 255]),
  none: null,
  tags: ['a', 1],
  cart: { apples: 3, note: 'x'.repeat(40) },
};

test("msgpack written here is byte for byte Python's msgpack.packb(d, use_bin_type=True)", async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const ours = msgpack.dumps(jsSession).toString('hex');
  const theirs = python(`import msgpack; print(msgpack.packb(${pythonSession}, use_bin_type=True).hex())`);
  assert.equal(ours, theirs);
});

test('a session written here unpacks in Python to the same dict', async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const code = `import msgpack, sys; d = msgpack.unpackb(bytes.fromhex(sys.stdin.read()), raw=False); print(d == ${pythonSession})`;
  assert.equal(python(code, msgpack.dumps(jsSession).toString('hex')), 'True');
});

test('a session packed in Python loads here', async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const hex = python(`import msgpack; print(msgpack.packb(${pythonSession}, use_bin_type=True).hex())`);
  assert.deepEqual(msgpack.loads(Buffer.from(hex, 'hex')), jsSession);
});

test('a __proto__ key from Python stays data and pollutes no prototype', async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const hex = python(
    "import msgpack; print(msgpack.packb({'__proto__': {'polluted': 1}, 'x': {'__proto__': 2}}, use_bin_type=True).hex())",
  );
  const data = msgpack.loads(Buffer.from(hex, 'hex'));
  assert.deepEqual(Object.keys(data), ['__proto__', 'x']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, { polluted: 1 });
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(msgpack.dumps(data).toString('hex'), hex, 'it is written back unchanged');
});

test('JSON is compact UTF-8, not ASCII-escaped, with bytes as base64', () => {
  const bytes = json.dumps({ _permanent: true, name: '小明', raw: Buffer.from([0, 255]) });
  assert.equal(bytes.toString('utf8'), '{"_permanent":true,"name":"小明","raw":"AP8="}');
});

test('either serializer reads the other format, as msgspec falls back', () => {
  assert.deepEqual(msgpack.loads(Buffer.from('{"_permanent":true,"a":1}')), { _permanent: true, a: 1 });
  assert.deepEqual(json.loads(msgpack.dumps({ a: 1 })), { a: 1 });
});

test('bytes that are neither format (a pickle from Flask-Session 0.3) are refused', () => {
  assert.throws(() => msgpack.loads(Buffer.from('80049510000000000000007d94', 'hex')), TypeError);
  assert.throws(() => json.loads(Buffer.from([0xc1])), TypeError);
});

test('a value msgspec could not encode is refused instead of being written as {}', () => {
  assert.throws(() => msgpack.dumps({ f: () => 1 }), UnsupportedValueError);
  assert.throws(() => json.dumps({ at: new Map() }), /Encoding objects of type Map is unsupported/);
  assert.throws(
    () => json.dumps({ cart: [{ id: 1, at: new (class Clock {})() }] }),
    /type Clock is unsupported \(at session\.cart\[0\]\.at\)/,
  );
});

test('a session that contains itself is refused in either format, not a stack overflow', () => {
  const cart: unknown[] = [];
  cart.push({ cart });
  for (const serializer of [msgpack, json])
    assert.throws(
      () => serializer.dumps({ cart }),
      (e) => e instanceof UnsupportedValueError && /Nesting deeper than 256 levels/.test(e.message),
      serializer.format,
    );
});

// Python ints beyond 2^53 and dicts with int keys, in a nested session.
const widePython =
  "{'_permanent': True, 'uid': 1234567890123456789, 'neg': -1234567890123456789, 'max': 2**64 - 1, 'min': -2**63, 'small': 2**40, 'edge': 2**53, 'by_id': {1: 'a', 'b': 2}, 'rows': [{2: [3]}]}";

test('a Python session with ints beyond 2^53 and int dict keys is written back byte for byte after a load', async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const hex = python(`import msgpack; print(msgpack.packb(${widePython}, use_bin_type=True).hex())`);
  const data = msgpack.loads(Buffer.from(hex, 'hex'));
  assert.equal(data.uid, 1234567890123456789n, 'an int beyond 2^53 is a bigint, not the nearest double');
  assert.equal(data.small, 2 ** 40, 'an int JavaScript holds exactly stays a number');
  assert.deepEqual(
    data.by_id,
    new Map<unknown, unknown>([
      [1, 'a'],
      ['b', 2],
    ]),
    'a dict with an int key stays a Map with that key',
  );
  assert.equal(msgpack.dumps(data).toString('hex'), hex);
});

test('a bigint set here is packed as Python packs that int, and one beyond 64 bits is refused', async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const many = new Map(Array.from({ length: 20 }, (_, i) => [i, 2n ** 60n] as const));
  const ours = msgpack
    .dumps({
      a: 5n,
      b: 2n ** 63n,
      c: -(2n ** 62n),
      m: new Map([[1n, true]]),
      many,
      list: Array.from({ length: 17 }, () => -(2n ** 40n)),
    })
    .toString('hex');
  const theirs =
    "{'a': 5, 'b': 2**63, 'c': -2**62, 'm': {1: True}, 'many': {i: 2**60 for i in range(20)}, 'list': [-2**40] * 17}";
  assert.equal(ours, python(`import msgpack; print(msgpack.packb(${theirs}, use_bin_type=True).hex())`));
  assert.throws(() => msgpack.dumps({ n: 2n ** 64n }), UnsupportedValueError);
  assert.throws(
    () => json.dumps({ n: 1n }),
    /Encoding objects of type bigint is unsupported/,
    'JSON has no exact form for it here',
  );
});

test('a stored session whose own keys are not all strings is refused as unreadable, not rewritten with string keys', async (t) => {
  if (!(await requirePythonMsgpack(t))) return;
  const hex = python(
    "import msgpack; print(msgpack.packb({'_permanent': True, 1: 'x'}, use_bin_type=True).hex())",
  );
  assert.throws(() => msgpack.loads(Buffer.from(hex, 'hex')), TypeError);
});
