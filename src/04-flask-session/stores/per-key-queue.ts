/**
 * Runs the tasks for one key one after another, in the order they were given; tasks for
 * different keys run side by side. The filesystem store uses it so that checking a session file
 * and writing it cannot interleave with another request's write or delete of the same file.
 * It serializes within this process only.
 */
export class PerKeyQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `task` once every task given earlier for `key` has settled; settles as `task` does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? Promise.resolve()).then(task);
    // A failed task fails its own caller only; the next task for the key still runs.
    const tail = result.then(
      () => {},
      () => {},
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
