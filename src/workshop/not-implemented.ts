/** Thrown by a starter until the learner implements it: the runner reports it as "not started". */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
}
