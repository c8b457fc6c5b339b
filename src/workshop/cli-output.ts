import type { CheckReport } from './run-checks.ts';
import type { Exercise } from './types.ts';
import { doneCount, firstUnsolved, type Standing } from './workshop.ts';

/** Where the CLI reads exercises from and writes to; tests pass a fixture root and collect lines. */
export interface CliIo {
  readonly root: string;
  readonly out: (line: string) => void;
  /** Ends `--watch`; without it, watching goes on until the process is stopped (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Clears the terminal before each run in `--watch`; given only when the output is a terminal. */
  readonly clearScreen?: () => void;
}

/** One status for the listing: `not started`, `failing: <check>` or `done`. */
export function statusText(report: CheckReport): string {
  return report.status === 'done'
    ? 'done'
    : report.status === 'not-started'
      ? 'not started'
      : `failing: ${report.check}`;
}

/** Prints one exercise's run, check by check; returns the exit code (0 done, 1 not yet). */
export function printRun(exercise: Exercise<unknown>, report: CheckReport, io: CliIo): number {
  io.out(`${exercise.id}: ${exercise.title}  (${exercise.lesson})`);
  io.out(`your code: ${exercise.starter}`);
  for (const name of report.passed) io.out(`  ✓ ${name}`);
  if (report.status === 'done') {
    io.out(`All ${report.passed.length} checks pass. Done!`);
    return 0;
  }
  if (report.status === 'not-started') {
    io.out(
      `Not started: ${exercise.starter} still throws NotImplementedError. Replace its TODO(exercise) and run again.`,
    );
  } else {
    const total = exercise.checks.length + 1; // check zero, the type check, comes first
    io.out(`  ✗ ${report.check}`);
    io.out(report.message.replace(/^/gm, '    '));
    io.out(
      `${report.passed.length} of ${total} checks pass so far (they run in order and stop at the first failure). Stuck? npm run exercise -- ${exercise.id} --hint`,
    );
  }
  return 1;
}

/** The listing: every exercise in lesson order, in aligned columns, then N/M done and what is next. */
export function printList(standings: readonly Standing[], io: CliIo): void {
  io.out('Exercises in lesson order (run one with: npm run exercise -- <id>)');
  const rows = [['id', 'step', 'title', 'status']];
  for (const { entry, report } of standings)
    rows.push([entry.exercise.id, entry.exercise.step, entry.exercise.title, statusText(report)]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    io.out(
      `  ${row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd()}`,
    );
  io.out(whatNext(standings));
}

/** `3/9 done, next: <id> (npm run exercise -- <id>)`, or the finish message once all pass. */
export function whatNext(standings: readonly Standing[]): string {
  const next = firstUnsolved(standings);
  if (next)
    return `${doneCount(standings)}, next: ${next.exercise.id} (npm run exercise -- ${next.exercise.id})`;
  return `${doneCount(standings)}. ${finishMessage(standings.length)}`;
}

function finishMessage(total: number): string {
  return `All ${total} exercises pass: every piece the lessons ask you to write now behaves like the reference. Well done!`;
}
