/**
 * How far the bench is and about how long it has left. The plan is counted in seconds of load;
 * what each planned second really costs (starting servers, seeding 100 000 sessions, the
 * machine's own pace) is learnt as the run goes, so the estimate sharpens with every step.
 */
export class Progress {
  readonly #plannedSeconds: number;
  readonly #started: number;
  readonly #now: () => number;
  // A planned second costs about this many seconds of wall time, before any step has been timed:
  // servers start, sessions are seeded, results are read back.
  readonly #priorRatio: number;
  #doneSeconds = 0;

  constructor(plannedSeconds: number, options: { priorRatio?: number; now?: () => number } = {}) {
    this.#plannedSeconds = Math.max(plannedSeconds, 1);
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
    this.#priorRatio = options.priorRatio ?? 1.5;
  }

  /** The whole run's expected length, before anything has run. */
  estimate(): string {
    return duration(this.#plannedSeconds * this.#priorRatio);
  }

  /** Marks `plannedSeconds` of the plan done; the line to print for it, with the time spent and left. */
  step(plannedSeconds: number, what: string): string {
    this.#doneSeconds = Math.min(this.#plannedSeconds, this.#doneSeconds + plannedSeconds);
    const spent = (this.#now() - this.#started) / 1000;
    const ratio = this.#doneSeconds > 0 ? spent / this.#doneSeconds : this.#priorRatio;
    const left = (this.#plannedSeconds - this.#doneSeconds) * ratio;
    const percent = Math.floor((100 * this.#doneSeconds) / this.#plannedSeconds);
    return `  [${String(percent).padStart(3)} % · ${duration(spent)} so far · about ${duration(left)} left] ${what}`;
  }
}

/** Seconds as a person reads them: `45 s`, `3 min 05 s`, `1 h 02 min`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
