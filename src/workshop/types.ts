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
  /** The lesson that asks for it; the place of `npm run exercise -- <id>` in it sets the exercise's order. */
  readonly lesson: string;
  readonly starter: string;
  readonly hint: string;
  /** The reference solution `--solution` shows once the exercise passes: `path#region`, or a whole `path`. */
  readonly solution: string;
  readonly reference: () => Promise<I>;
  readonly checks: readonly Check<I>[];
}
