import { createHmac } from 'node:crypto';
import type { verifySignature } from '../../../02-signed-cookie/signer.ts';
import type { Check, Exercise } from '../../types.ts';
import { CheckFailed } from '../../expect.ts';
import { timingSafeEqualCalls } from '../../timing-safe-equal-spy.ts';

/** What the learner writes: itsdangerous' `verify_signature`, in constant time. */
export interface Impl {
  verifySignature: typeof verifySignature;
}

const key = Buffer.from('6b967d632dddd8bc1ac4f675e264481af6abb198', 'hex');
const value = 'eyJuYW1lIjoiXHU1YzBmXHU2NjBlIiwidXNlcl9pZCI6NDJ9.ZVPxAA';
const mac = (): Buffer => createHmac('sha1', key).update(value).digest();
const flipped = (index: number): Buffer => {
  const sig = mac();
  sig[index]! ^= 1;
  return sig;
};
const lastByteFlipped = (): Buffer => flipped(19);
const firstByteFlipped = (): Buffer => flipped(0);

function expect(actual: unknown, expected: unknown, message: string): void {
  if (actual !== expected)
    throw new CheckFailed(`${message} (got ${String(actual)}, expected ${String(expected)})`);
}

/**
 * How many bytes of `signature` `fn` reads by index, through a Proxy that counts `signature[i]`;
 * methods run on the real Buffer. A comparison that throws on the Proxy (Buffer.compare,
 * `expected.equals(signature)`) has read nothing byte by byte.
 */
function bytesRead(signature: Buffer, fn: (signature: Buffer) => unknown): number {
  const read = new Set<string>();
  const counted = new Proxy(signature, {
    get(target, property) {
      if (typeof property === 'string' && /^\d+$/.test(property)) read.add(property);
      const found: unknown = Reflect.get(target, property, target);
      return typeof found === 'function' ? found.bind(target) : found;
    },
  });
  try {
    fn(counted);
  } catch {
    // Counted below: what was read before the throw.
  }
  return read.size;
}

const checks: Check<Impl>[] = [
  {
    name: 'accepts the signature made with the key',
    run: ({ verifySignature }) =>
      expect(verifySignature(key, value, mac()), true, 'the correct HMAC-SHA1 of the value must verify'),
  },
  {
    name: 'rejects a signature that differs only in its last byte',
    run: ({ verifySignature }) =>
      expect(
        verifySignature(key, value, lastByteFlipped()),
        false,
        'every byte of the MAC must be compared, the last one too',
      ),
  },
  {
    name: 'rejects a shorter signature without throwing',
    run: ({ verifySignature }) => {
      for (const short of [mac().subarray(0, 19), mac().subarray(0, 1), Buffer.alloc(0)]) {
        let result: boolean;
        try {
          result = verifySignature(key, value, short);
        } catch (error) {
          throw new CheckFailed(
            `a ${short.length}-byte signature made verifySignature throw (${(error as Error).message}); return false instead: timingSafeEqual throws when the lengths differ, so compare the lengths first`,
          );
        }
        expect(result, false, `a ${short.length}-byte signature (a prefix of the real one) must not verify`);
      }
    },
  },
  {
    name: 'compares in constant time: every byte, whatever the first difference',
    run: ({ verifySignature }) => {
      if (
        timingSafeEqualCalls(() => verifySignature(key, value, lastByteFlipped())).some(
          ([a]) => a.byteLength === 20,
        )
      )
        return;
      const read = bytesRead(firstByteFlipped(), (signature) => verifySignature(key, value, signature));
      if (read === 20) return;
      throw new CheckFailed(
        `with the first byte wrong, verifySignature read ${read} of the 20 signature bytes before it answered. ` +
          '`===`, Buffer.equals, Buffer.compare and a loop that stops at the first difference all answer sooner the ' +
          'fewer leading bytes match, which lets an attacker find a valid signature byte by byte. Compare with ' +
          'crypto.timingSafeEqual (after checking the lengths), or visit every byte: diff |= signature[i]! ^ expected[i]!, then return diff === 0.',
      );
    },
  },
];

/** Constant-time signature verification (lesson 02). */
export const exercise: Exercise<Impl> = {
  id: 'constant-time-verify',
  step: '02-signed-cookie',
  title: 'Verify a signature in constant time',
  lesson: 'lessons/02-signed-cookie.md',
  starter: 'src/workshop/starters/constant-time-verify.ts',
  solution: 'src/02-signed-cookie/signer.ts#verify-signature',
  hint: 'Recompute createHmac(digestMethod, key).update(value).digest(); return false when the lengths differ; otherwise return timingSafeEqual(signature, expected).',
  reference: async () => {
    const { verifySignature } = await import('../../../02-signed-cookie/signer.ts');
    return { verifySignature };
  },
  checks,
};
