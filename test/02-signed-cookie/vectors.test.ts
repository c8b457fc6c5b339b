import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { URLSafeTimedSerializer } from '../../src/02-signed-cookie/serializer.ts';
import { sessionJsonSerializer } from '../../src/02-signed-cookie/tagged-json.ts';
import { SignatureExpired } from '../../src/02-signed-cookie/errors.ts';
import { Markup, Tuple, UUID } from '../../src/02-signed-cookie/python-types.ts';

interface Vector {
  name: string;
  secret_key: string;
  timestamp: number;
  tagged_json: string;
  compressed: boolean;
  cookie: string;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/flask-cookies.json', import.meta.url), 'utf8'));
const vectors: Vector[] = fixture.vectors;
const lifetime = 2678400;

function flaskSerializer(secret: string | string[], nowSeconds: number): URLSafeTimedSerializer {
  return new URLSafeTimedSerializer(secret, {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    digestMethod: 'sha1',
    serializer: sessionJsonSerializer,
    now: () => nowSeconds * 1000,
  });
}

// What each vector's Python value is on the JS side.
const expected: Record<string, unknown> = {
  ascii_and_non_ascii: { user_id: 42, name: '小明' },
  key_order_is_sorted: { b: 1, a: 2, _fresh: true },
  nested_dict_list: { cart: { items: [1, 2, 3], meta: { ok: true, none: null, pi: 3.5 } } },
  tuple_tag: { t: new Tuple([1, 'a', [2, 3]]) },
  bytes_tag: { b: new Uint8Array([0, 0xff, ...Buffer.from('hello')]) },
  datetime_tag: { dt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) },
  uuid_markup_tags: { u: new UUID('12345678-1234-5678-1234-567812345678'), m: new Markup('<b>hi</b>') },
  dict_key_escape_di: { x: { ' t': 'not a tuple' }, y: { ' di': 1 } },
  permanent_session: { _permanent: true, user: 'alice' },
  compressed_large: { data: 'a'.repeat(500), list: Array.from({ length: 50 }, (_, i) => i) },
};

test('every vector has a JS value to compare with', () => {
  assert.deepEqual(vectors.map((v) => v.name).sort(), Object.keys(expected).sort());
});

for (const vector of vectors) {
  test(`Flask's ${vector.name} cookie verifies and decodes to the value Flask stored`, () => {
    const value = flaskSerializer(vector.secret_key, vector.timestamp).loads(vector.cookie, lifetime);
    assert.deepEqual(value, expected[vector.name]);
  });

  test(`the ${vector.name} value serializes to Flask's exact tagged JSON`, () => {
    assert.equal(sessionJsonSerializer.dumps(expected[vector.name]), vector.tagged_json);
  });

  if (vector.compressed) {
    test(`the ${vector.name} value is compressed here too, and the cookie made here decodes to it`, () => {
      const serializer = flaskSerializer(vector.secret_key, vector.timestamp);
      const cookie = serializer.dumps(expected[vector.name]);
      assert.ok(cookie.startsWith('.'));
      assert.deepEqual(serializer.loads(cookie, lifetime), expected[vector.name]);
    });
  } else {
    test(`the ${vector.name} cookie is reproduced byte for byte at its timestamp`, () => {
      assert.equal(
        flaskSerializer(vector.secret_key, vector.timestamp).dumps(expected[vector.name]),
        vector.cookie,
      );
    });
  }
}

test('a cookie exactly PERMANENT_SESSION_LIFETIME old is accepted, one second older is expired', () => {
  const cookie = vectors[0]!.cookie;
  assert.deepEqual(
    flaskSerializer('test-secret-key', 1700000000 + lifetime).loads(cookie, lifetime),
    expected.ascii_and_non_ascii,
  );
  assert.throws(
    () => flaskSerializer('test-secret-key', 1700000000 + lifetime + 1).loads(cookie, lifetime),
    (error: unknown) => {
      assert.ok(error instanceof SignatureExpired);
      assert.equal(`SignatureExpired: ${error.message}`, fixture.expiry_checks.max_age_plus_1);
      assert.deepEqual(error.dateSigned, new Date(1700000000 * 1000));
      return true;
    },
  );
});

test("a cookie signed 5 seconds in the future is expired with Flask's message", () => {
  assert.throws(
    () => flaskSerializer('test-secret-key', 1700000000 - 5).loads(vectors[0]!.cookie, lifetime),
    (error: unknown) =>
      error instanceof SignatureExpired &&
      `SignatureExpired: ${error.message}` === fixture.expiry_checks.future_5s,
  );
});

test('with keys [old, new] a cookie signed by the old key reads, and new cookies are signed by the new key', () => {
  const rotation = fixture.key_rotation_flask_3_1_3;
  const serializer = flaskSerializer(['old-key', 'new-key'], 1700000000);
  assert.deepEqual(serializer.loads(rotation['old_cookie_signed_with_old-key'], lifetime), { user: 'bob' });
  assert.equal(serializer.dumps({ user: 'bob2' }), rotation.new_cookie);
  assert.deepEqual(flaskSerializer('new-key', 1700000000).loads(rotation.new_cookie), { user: 'bob2' });
});
