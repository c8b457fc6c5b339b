import { SignatureExpired } from '../../../02-signed-cookie/errors.ts';
import type { checkAge } from '../../../02-signed-cookie/timestamp-signer.ts';
import { NotImplementedError } from '../../not-implemented.ts';
import type { Check, Exercise } from '../../types.ts';
import { CheckFailed } from '../../expect.ts';

/** What the learner writes: the age rule of itsdangerous' `TimestampSigner.unsign`. */
export interface Impl {
  checkAge: typeof checkAge;
}

const signedAt = 1_700_000_000;
const maxAge = 60;

function accepts(impl: Impl, now: number, what: string): void {
  try {
    impl.checkAge(signedAt, maxAge, now);
  } catch (error) {
    if (error instanceof NotImplementedError) throw error;
    throw new CheckFailed(`${what} must be accepted, but checkAge threw: ${(error as Error).message}`);
  }
}

function rejects(impl: Impl, now: number, what: string): SignatureExpired {
  try {
    impl.checkAge(signedAt, maxAge, now);
  } catch (error) {
    if (error instanceof SignatureExpired) return error;
    if (error instanceof NotImplementedError) throw error;
    throw new CheckFailed(
      `${what} must throw SignatureExpired (from src/02-signed-cookie/errors.ts), not ${String(error)}`,
    );
  }
  throw new CheckFailed(`${what} was accepted; it must throw SignatureExpired`);
}

function expectExpiry(error: SignatureExpired, message: string, branch: string): void {
  if (error.message !== message)
    throw new CheckFailed(
      `for a value ${branch}, the message should be itsdangerous' "${message}", not ${JSON.stringify(error.message)}`,
    );
  if (error.dateSigned?.getTime() !== signedAt * 1000) {
    throw new CheckFailed(
      `the error for a value ${branch} has no signing date: throw new SignatureExpired(message, { dateSigned: new Date(timestamp * 1000) }) so the caller knows when the value was signed`,
    );
  }
}

const checks: Check<Impl>[] = [
  {
    name: 'accepts a value signed a moment ago',
    run: (impl) => accepts(impl, signedAt + 5, 'a value 5 seconds old (max age 60)'),
  },
  {
    name: 'accepts a value exactly max age old',
    run: (impl) => accepts(impl, signedAt + maxAge, 'a value exactly 60 seconds old (max age 60)'),
  },
  {
    name: 'rejects a value one second too old',
    run: (impl) => void rejects(impl, signedAt + maxAge + 1, 'a value 61 seconds old (max age 60)'),
  },
  {
    name: 'rejects a value signed in the future',
    run: (impl) => void rejects(impl, signedAt - 5, 'a value signed 5 seconds from now'),
  },
  {
    name: 'each error says the age and carries the signing date',
    run: (impl) => {
      expectExpiry(
        rejects(impl, signedAt + maxAge + 1, 'a value 61 seconds old'),
        'Signature age 61 > 60 seconds',
        'too old',
      );
      expectExpiry(
        rejects(impl, signedAt - 5, 'a value signed 5 seconds from now'),
        'Signature age -5 < 0 seconds',
        'from the future',
      );
    },
  },
];

/** The max-age check (lesson 02). */
export const exercise: Exercise<Impl> = {
  id: 'max-age-check',
  step: '02-signed-cookie',
  title: 'Refuse cookies that are too old, or from the future',
  lesson: 'lessons/02-signed-cookie.md',
  starter: 'src/workshop/starters/max-age-check.ts',
  solution: 'src/02-signed-cookie/timestamp-signer.ts#max-age',
  hint: 'age = now - timestamp. Expired when age > maxAgeSeconds (strictly) or age < 0. Throw new SignatureExpired(message, { dateSigned }).',
  reference: async () => {
    const { checkAge } = await import('../../../02-signed-cookie/timestamp-signer.ts');
    return { checkAge };
  },
  checks,
};
