import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session } from '../../src/01-raw-http/session.ts';

test('a new session is unmodified, and every mutation marks it modified', () => {
  for (const mutate of [
    (s: Session) => s.set('a', 1),
    (s: Session) => s.setdefault('a', 1),
    (s: Session) => s.clear(),
    (s: Session) => s.update({ a: 1 }),
  ]) {
    const session = new Session();
    assert.equal(session.modified, false);
    mutate(session);
    assert.equal(session.modified, true, mutate.toString());
  }
});

test('setdefault of a present key, pop and delete of a missing key change nothing, as in Werkzeug', () => {
  const session = new Session({ a: 1 });
  session.setdefault('a', 2);
  assert.equal(session.pop('missing', 'fallback'), 'fallback');
  assert.equal(session.delete('missing'), false);
  assert.equal(session.modified, false);
  assert.equal(session.pop('a'), 1);
  assert.equal(session.modified, true);
  const other = new Session({ b: 1 });
  assert.equal(other.delete('b'), true);
  assert.equal(other.modified, true);
});

test('reading does not mark the session modified', () => {
  const session = new Session({ a: 1 });
  session.get('a');
  session.has('a');
  session.keys();
  assert.equal(session.modified, false);
});

test('setdefault stores only a missing key and returns what is stored, like Python', () => {
  const session = new Session({ name: 'alice' });
  assert.equal(session.setdefault('name', 'xiaoming'), 'alice');
  assert.equal(session.setdefault('age', 3), 3);
  assert.deepEqual({ ...session.toJSON() }, { name: 'alice', age: 3 });
});

test('a change inside a nested value is not noticed, which is why session.modified exists', () => {
  const session = new Session({ cart: { n: 1 } });
  (session.get('cart') as { n: number }).n += 1;
  assert.equal(session.modified, false);
});

test('permanent is stored as _permanent and setting it is a modification', () => {
  const session = new Session();
  assert.equal(session.permanent, false);
  session.permanent = true;
  assert.equal(session.get('_permanent'), true);
  assert.equal(session.modified, true);
});

test('a __proto__ or constructor key is plain data and pollutes no prototype', () => {
  const session = new Session(
    JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}') as Record<
      string,
      unknown
    >,
  );
  assert.deepEqual(session.keys(), ['__proto__', 'constructor']);
  const plain = session.toJSON();
  assert.equal(Object.getPrototypeOf(plain), null);
  assert.deepEqual(Object.keys(plain), ['__proto__', 'constructor']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(JSON.stringify(plain), '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
});
