/** One named check of an exercise; it throws with a learner-facing message when the implementation is wrong. */
export interface Check<I> {
  readonly name: string;
  run(impl: I): void | Promise<void>;
}

/** A workshop exercise: the starter the learner edits, the reference it is checked against, the checks. */
export interface Exercise<I> {
  readonly id: string;
  readonly step: string;
  readonly title: string;
  readonly lesson: string;
  readonly starter: string;
  readonly hint: string;
  readonly reference: () => Promise<I>;
  readonly checks: readonly Check<I>[];
}

/** Thrown by an untouched starter. */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
}
