import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constants, deflateSync } from 'node:zlib';
import { cannotShrink } from '../../src/02-signed-cookie/compression-bound.ts';
import { dumpPayload } from '../../src/02-signed-cookie/serializer.ts';
import { dumpsTagged } from '../../src/02-signed-cookie/tagged-json.ts';

// A repeatable pseudo-random stream (mulberry32), so a failure names inputs that can be replayed.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function samples(): Buffer[] {
  const next = random(20261126);
  const word = (length: number, alphabet: string): string =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const out: Buffer[] = [];
  for (let i = 0; i < 3000; i++) {
    const kind = i % 3;
    if (kind === 0)
      out.push(
        Buffer.from(
          dumpsTagged({ [word(1 + (i % 9), 'abcdefghijklmnop_')]: Math.floor(next() * 10 ** (i % 12)) }),
        ),
      );
    else if (kind === 1) out.push(Buffer.from(word(1 + (i % 60), 'ab"{}:,0123456789')));
    else
      out.push(
        Buffer.from(Array.from({ length: 1 + (i % 80) }, () => Math.floor(next() * (i % 2 ? 256 : 8)))),
      );
  }
  return out;
}

test('when cannotShrink says zlib cannot win, no deflate level or strategy makes the payload 2 bytes shorter', () => {
  let proved = 0;
  for (const raw of samples()) {
    if (!cannotShrink(raw)) continue;
    proved++;
    for (const options of [
      {},
      { level: 9 },
      { level: 1 },
      { strategy: constants.Z_HUFFMAN_ONLY },
      { level: 9, memLevel: 9 },
    ]) {
      const compressed = deflateSync(raw, options);
      assert.ok(
        compressed.length >= raw.length - 1,
        `${raw.toString('hex')} compressed to ${compressed.length} of ${raw.length} bytes with ${JSON.stringify(options)}`,
      );
    }
  }
  // The property must have been put to the test, not passed by proving nothing.
  assert.ok(proved > 500, `only ${proved} samples were proved incompressible`);
});

test('the shortcut changes no payload: every sample serializes as if deflate had been tried', () => {
  for (const raw of samples()) {
    const json = raw.toString('utf8');
    const bytes = Buffer.from(json, 'utf8');
    const compressed = deflateSync(bytes);
    const expected =
      compressed.length < bytes.length - 1
        ? `.${compressed.toString('base64url')}`
        : bytes.toString('base64url');
    assert.equal(dumpPayload(json), expected, json);
  }
});

test('typical small sessions are proved incompressible; repetitive or long ones go to zlib', () => {
  assert.equal(cannotShrink(Buffer.from('{"count":123}')), true);
  assert.equal(cannotShrink(Buffer.from('{"user":"alice"}')), true);
  assert.equal(cannotShrink(Buffer.from('{"name":"xiaoming"}')), true); // the article's session
  assert.equal(cannotShrink(Buffer.from('{"a":"x","b":"y"}')), false); // `":"` repeats: deflate has a match
  assert.equal(cannotShrink(Buffer.alloc(600, 'abcdefghijklmnopqrstuvwxyz0123456789')), false);
  assert.equal(cannotShrink(Buffer.alloc(0)), true);
});
