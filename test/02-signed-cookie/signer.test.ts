import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64Decode, base64Encode, bytesToInt, intToBytes } from '../../src/02-signed-cookie/encoding.ts';
import {
  BadData,
  BadPayload,
  BadSignature,
  BadTimeSignature,
  SignatureExpired,
} from '../../src/02-signed-cookie/errors.ts';
import { Signer, type KeyDerivation, type DigestMethod } from '../../src/02-signed-cookie/signer.ts';
import { TimestampSigner } from '../../src/02-signed-cookie/timestamp-signer.ts';
import { URLSafeTimedSerializer } from '../../src/02-signed-cookie/serializer.ts';

// Made with Python's itsdangerous 2.1.2: Signer('secret', salt='salt', key_derivation=…, digest_method=…).sign('hello').
const itsdangerousSignatures: Array<[KeyDerivation, DigestMethod, string]> = [
  ['hmac', 'sha1', 'hello.Pe3AN_qEul4rmSzYPBl0X452mso'],
  ['hmac', 'sha256', 'hello.ErmltkMhv-6-JZDU0i52qp79oQYRbzTK4oWX6bA5S50'],
  ['django-concat', 'sha1', 'hello.VZwbARjuKpDGaWslX5tZg_VuxiE'],
  ['django-concat', 'sha256', 'hello.1sJO-f64SOGIc6JjBWADuGBjhQus0cFruSq7cy6A7kI'],
  ['concat', 'sha1', 'hello.xjNYb0fSMKZHTu3NRzcrXEO2bmU'],
  ['concat', 'sha256', 'hello.0s6wOyJTz05Fgq6YUuq-d5_w1B_G19WWzik1mi4cpxY'],
  ['none', 'sha1', 'hello.URIFXAX5RPhXVe_FzYlw4ZTp9Fs'],
  ['none', 'sha256', 'hello.iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs'],
];

for (const [keyDerivation, digestMethod, signed] of itsdangerousSignatures) {
  test(`key derivation ${keyDerivation} with ${digestMethod} signs exactly as itsdangerous does`, () => {
    const signer = new Signer('secret', { salt: 'salt', keyDerivation, digestMethod });
    assert.equal(signer.sign('hello'), signed);
    assert.equal(signer.unsign(signed), 'hello');
  });
}

test('the defaults are itsdangerous\' own: django-concat, SHA-1, salt itsdangerous.Signer, sep "."', () => {
  assert.equal(new Signer('secret').sign('hello'), 'hello.7KTthSs1fJgtbigPvFpQH1bpoGA');
});

test('a bytes secret is used as is and a text secret as UTF-8', () => {
  assert.equal(
    new Signer(Buffer.from([0xff, 0x00, ...Buffer.from('key')]), { salt: 's', keyDerivation: 'hmac' }).sign(
      'v',
    ),
    'v.Ozfyr9v0yuHmfLd42z8we3aBteM',
  );
  assert.equal(
    new Signer('ключ', { salt: 's', keyDerivation: 'hmac' }).sign('v'),
    'v.YRmOtqILImnf_davbviPoBRfQr0',
  );
});

test('a custom separator splits at its last occurrence, and a base64 character is refused as separator', () => {
  const signer = new Signer('secret', { sep: '~' });
  assert.equal(signer.sign('a.b'), 'a.b~rcGPjH7dL00iuuxyO14b3zRDWLI');
  assert.equal(signer.unsign('a.b~rcGPjH7dL00iuuxyO14b3zRDWLI'), 'a.b');
  assert.throws(() => new Signer('secret', { sep: '-' }), TypeError);
});

test('with a list of keys the newest (last) signs and every key verifies, newest first', () => {
  const rotated = new Signer(['old', 'new'], { salt: 's' });
  assert.equal(rotated.sign('v'), new Signer('new', { salt: 's' }).sign('v'));
  assert.equal(rotated.unsign(new Signer('old', { salt: 's' }).sign('v')), 'v');
  assert.throws(() => new Signer([]), TypeError);
});

test('tampered, truncated, unsigned and badly encoded values raise BadSignature carrying the payload', () => {
  const signer = new Signer('secret', { salt: 'salt', keyDerivation: 'hmac' });
  const good = signer.sign('hello');
  for (const bad of [
    `hellp${good.slice(5)}`,
    good.slice(0, -1),
    good.slice(0, -2),
    `${good}A`,
    'hello.',
    'hello.!!!!',
    'hello.A',
  ]) {
    assert.throws(
      () => signer.unsign(bad),
      (error: unknown) =>
        error instanceof BadSignature && error.payload === bad.slice(0, bad.lastIndexOf('.')),
      bad,
    );
    assert.equal(signer.validate(bad), false);
  }
  assert.throws(
    () => signer.unsign('no separator'),
    (error: unknown) => error instanceof BadSignature && error.payload === undefined,
  );
  assert.equal(signer.validate(good), true);
});

test('the error hierarchy is BadData ⊃ BadSignature ⊃ BadTimeSignature ⊃ SignatureExpired, with BadPayload beside it', () => {
  const expired = new SignatureExpired('old', { payload: 'p', dateSigned: new Date(0) });
  assert.ok(
    expired instanceof BadTimeSignature &&
      expired instanceof BadSignature &&
      expired instanceof BadData &&
      expired instanceof Error,
  );
  assert.equal(expired.name, 'SignatureExpired');
  const payload = new BadPayload('junk', { cause: new Error('zlib') });
  assert.ok(payload instanceof BadData && !(payload instanceof BadSignature));
  assert.equal((payload.cause as Error).message, 'zlib');
});

test('base64 is URL-safe without padding, and junk or impossible lengths are BadData', () => {
  assert.equal(base64Encode(Buffer.from([0xfb, 0xff])), '-_8');
  assert.deepEqual(base64Decode('-_8'), Buffer.from([0xfb, 0xff]));
  for (const bad of ['a+b/', 'ab=', 'abcde', 'ab c']) assert.throws(() => base64Decode(bad), BadData, bad);
});

test('integers are big-endian bytes without leading zeros, 0 is empty, more than 8 bytes is refused', () => {
  assert.deepEqual(intToBytes(1700000000), Buffer.from([0x65, 0x53, 0xf1, 0x00]));
  assert.deepEqual(intToBytes(0), Buffer.alloc(0));
  assert.equal(bytesToInt(Buffer.from([0x65, 0x53, 0xf1, 0x00])), 1700000000n);
  assert.equal(bytesToInt(Buffer.alloc(0)), 0n);
  assert.throws(() => bytesToInt(Buffer.alloc(9, 1)), BadData);
  assert.throws(() => intToBytes(-1), RangeError);
});

test('TimestampSigner signs value.timestamp like itsdangerous and returns when it was signed', () => {
  const signer = new TimestampSigner('secret', { salt: 's', now: () => 1700000000_999 });
  assert.equal(signer.sign('v'), 'v.ZVPxAA.BZbcMvfJw9ZyTDt4EK7NKLyoJ2I');
  assert.deepEqual(signer.unsignWithTimestamp('v.ZVPxAA.BZbcMvfJw9ZyTDt4EK7NKLyoJ2I', 0), {
    value: 'v',
    timestamp: 1700000000,
  });
});

test('a timestamped value with a bad signature is BadTimeSignature with the date it claims', () => {
  const signer = new TimestampSigner('other', { salt: 's', now: () => 1700000000_000 });
  assert.throws(
    () => signer.unsign('v.ZVPxAA.BZbcMvfJw9ZyTDt4EK7NKLyoJ2I'),
    (error: unknown) => {
      assert.ok(error instanceof BadTimeSignature && !(error instanceof SignatureExpired));
      assert.equal(error.payload, 'v');
      assert.deepEqual(error.dateSigned, new Date(1700000000_000));
      return true;
    },
  );
});

test('a validly signed value without a timestamp, or with a malformed one, is BadTimeSignature', () => {
  const plain = new Signer('secret', { salt: 's' });
  const timed = new TimestampSigner('secret', { salt: 's' });
  assert.throws(() => timed.unsign(plain.sign('no-timestamp')), /timestamp missing/);
  assert.throws(() => timed.unsign(plain.sign('v.!!')), /Malformed timestamp/);
  assert.throws(
    () => timed.unsign(plain.sign(`v.${base64Encode(Buffer.alloc(9, 1))}`)),
    /Malformed timestamp/,
  );
});

test('max age: exactly max age passes, one second more and any future date are SignatureExpired with the payload', () => {
  const signedAt = (nowSeconds: number) => new TimestampSigner('k', { now: () => nowSeconds * 1000 });
  const token = signedAt(1000).sign('v');
  assert.equal(signedAt(1060).unsign(token, 60), 'v');
  for (const now of [1061, 999]) {
    assert.throws(
      () => signedAt(now).unsign(token, 60),
      (error: unknown) =>
        error instanceof SignatureExpired &&
        error.payload === 'v' &&
        error.dateSigned?.getTime() === 1000_000,
    );
  }
  assert.equal(signedAt(999).unsign(token), 'v', 'without max age the age is not checked');
});

test('the serializer compresses only when that saves at least 2 bytes, marking it with a leading dot', () => {
  const s = new URLSafeTimedSerializer('k', { now: () => 0 });
  assert.ok(!s.dumps({ a: 1 }).startsWith('.'));
  const big = s.dumps({ data: 'x'.repeat(200) });
  assert.ok(big.startsWith('.'));
  assert.deepEqual(s.loads(big), { data: 'x'.repeat(200) });
});

test('a validly signed payload that is not base64, not zlib, not UTF-8 or not JSON is BadPayload', () => {
  const s = new URLSafeTimedSerializer('k', { now: () => 0 });
  const signer = s.signer;
  for (const payload of [
    '!!!',
    '.bm90IHpsaWI',
    base64Encode(Buffer.from([0xff, 0xfe])),
    base64Encode('{not json'),
  ]) {
    assert.throws(() => s.loads(signer.sign(payload)), BadPayload, payload);
  }
});
