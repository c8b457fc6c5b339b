import { isDeepStrictEqual, inspect } from 'node:util';

/** A check's verdict on the learner's code: the message says what to fix. */
export class CheckFailed extends Error {
  override name = 'CheckFailed';
}

/** Shows a value the way a learner reads it in the terminal. */
export function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 120 });
}

/** Fails the check with `what` when `actual` is not deeply equal to `expected`. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  throw new CheckFailed(`${what}\n  expected: ${show(expected)}\n  got:      ${show(actual)}`);
}

/** Fails the check with `what` unless `condition` holds. */
export function expectTrue(condition: boolean, what: string): void {
  if (!condition) throw new CheckFailed(what);
}
