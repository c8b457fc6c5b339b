/**
 * One log line per kind of failure, not one per request: a backend that is down fails every
 * request, and a line (or a stack) for each would bury everything else. The first failure of a kind
 * is logged; repeats within `intervalMs` are only counted; the first after it is logged with the count.
 */
export class LogThrottle {
  readonly intervalMs: number;
  readonly #now: () => number;
  readonly #kinds = new Map<string, { since: number; suppressed: number }>();

  constructor(options: { intervalMs?: number; now?: () => number } = {}) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Null when this failure is only counted; otherwise how many like it were counted since its last line. */
  admit(kind: string): number | null {
    const now = this.#now();
    const seen = this.#kinds.get(kind);
    if (seen && now - seen.since < this.intervalMs) {
      seen.suppressed++;
      return null;
    }
    this.#kinds.delete(kind);
    // Kinds come from error messages; keep only the most recent few hundred.
    if (this.#kinds.size >= 500) this.#kinds.delete(this.#kinds.keys().next().value!);
    this.#kinds.set(kind, { since: now, suppressed: 0 });
    return seen?.suppressed ?? 0;
  }
}
