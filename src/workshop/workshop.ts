import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogEntry } from './catalog.ts';
import { type CheckReport, checkStarter } from './run-checks.ts';
import { TypeCheck } from './type-check.ts';

/** One exercise and how the learner's starter fares on it now. */
export interface Standing {
  readonly entry: CatalogEntry;
  readonly report: CheckReport;
}

/**
 * A learner's tree as the runner sees it: the catalog in lesson order, and check zero's
 * TypeScript program, kept between runs and started only when a starter is first checked.
 */
export class Workshop {
  readonly root: string;
  readonly catalog: readonly CatalogEntry[];
  readonly #types: TypeCheck;

  constructor(root: string, catalog: readonly CatalogEntry[]) {
    this.root = root;
    this.catalog = catalog;
    const starters = catalog.map((e) => e.exercise.starter).filter((path) => existsSync(join(root, path)));
    this.#types = new TypeCheck(root, starters);
  }

  /** The type check, then every check of `entry`'s exercise, on the learner's starter as saved now. */
  check(entry: CatalogEntry): Promise<CheckReport> {
    return checkStarter(this.root, entry.exercise, this.#types);
  }

  /** Every exercise in lesson order with its report. */
  async standings(): Promise<Standing[]> {
    const standings: Standing[] = [];
    for (const entry of this.catalog) standings.push({ entry, report: await this.check(entry) });
    return standings;
  }

  /** Stops the type checker's process. */
  close(): Promise<void> {
    return this.#types.close();
  }
}

/** The first exercise in lesson order that is not done yet. */
export function firstUnsolved(standings: readonly Standing[]): CatalogEntry | undefined {
  return standings.find((s) => s.report.status !== 'done')?.entry;
}

/** `3/9 done`. */
export function doneCount(standings: readonly Standing[]): string {
  return `${standings.filter((s) => s.report.status === 'done').length}/${standings.length} done`;
}
