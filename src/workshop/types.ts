/** One named check run against an implementation; throws with a message telling the learner what to fix. */
export interface Check<I> {
  readonly name: string;
  run(impl: I): void | Promise<void>;
}

/** An exercise: the learner's starter is checked by the same checks as the reference (the step's own code). */
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
