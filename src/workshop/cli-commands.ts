import { watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CatalogEntry, loadCatalog } from './catalog.ts';
import { type CheckReport, checkStarter } from './run-checks.ts';
import { TypeCheck } from './type-check.ts';
import type { Exercise } from './types.ts';

/** Where the CLI reads exercises from and writes to; tests pass a fixture root and collect lines. */
export interface CliIo {
  readonly root: string;
  readonly out: (line: string) => void;
  /** Ends `--watch`; without it, watching goes on until the process is stopped (Ctrl-C). */
  readonly signal?: AbortSignal;
}

const usage = 'usage: npm run exercise [-- <id> [--hint] [--watch]] | npm run exercise -- --verify-starters-fail';

/** `npm run exercise …`: resolves with the exit code (0 done/listed, 1 failing, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const ids = argv.filter((a) => !a.startsWith('--'));
  const unknownFlag = [...flags].find((f) => !['--hint', '--watch', '--verify-starters-fail'].includes(f));
  if (unknownFlag || ids.length > 1) return fail(io, `unknown argument ${unknownFlag ?? ids[1]}\n${usage}`);
  const catalog = await loadCatalog(io.root);
  const types = new TypeCheck(io.root, catalog.map((e) => e.exercise.starter));
  try {
    return await dispatch(catalog, flags, ids, types, io);
  } finally {
    await types.close();
  }
}

async function dispatch(catalog: readonly CatalogEntry[], flags: Set<string>, ids: string[], types: TypeCheck, io: CliIo): Promise<number> {
  if (flags.has('--verify-starters-fail')) return verifyStartersFail(catalog, types, io);
  if (ids.length === 0) return list(catalog, types, io);
  const entry = catalog.find((e) => e.exercise.id === ids[0]);
  if (!entry) return fail(io, `Unknown exercise "${ids[0]}". Exercises: ${catalog.map((e) => e.exercise.id).join(', ')}`);
  if (flags.has('--hint')) {
    io.out(`Hint for ${entry.exercise.id}:\n${entry.exercise.hint}`);
    return 0;
  }
  if (flags.has('--watch')) return watchStarter(entry.exercise, types, io);
  return printRun(entry.exercise, await checkStarter(io.root, entry.exercise, types), io);
}

function fail(io: CliIo, message: string): number {
  io.out(message);
  return 2;
}

/** One line for the listing: `not started`, `failing: <check>` or `done`. */
export function statusText(report: CheckReport): string {
  return report.status === 'done' ? 'done' : report.status === 'not-started' ? 'not started' : `failing: ${report.check}`;
}

async function list(catalog: readonly CatalogEntry[], types: TypeCheck, io: CliIo): Promise<number> {
  io.out('Exercises (run one with: npm run exercise -- <id>)');
  const width = Math.max(...catalog.map((e) => e.exercise.id.length), 2);
  for (const { exercise } of catalog) {
    const report = await checkStarter(io.root, exercise, types);
    io.out(`  ${exercise.id.padEnd(width)}  ${exercise.step}  ${exercise.title} [${statusText(report)}]`);
  }
  return 0;
}

function printRun(exercise: Exercise<unknown>, report: CheckReport, io: CliIo): number {
  io.out(`${exercise.id}: ${exercise.title}  (${exercise.lesson})`);
  io.out(`your code: ${exercise.starter}`);
  for (const name of report.passed) io.out(`  ✓ ${name}`);
  if (report.status === 'done') {
    io.out(`All ${report.passed.length} checks pass. Done!`);
    return 0;
  }
  if (report.status === 'not-started') {
    io.out(`Not started: ${exercise.starter} still throws NotImplementedError. Replace its TODO(exercise) and run again.`);
  } else {
    io.out(`  ✗ ${report.check}`);
    io.out(report.message.replace(/^/gm, '    '));
    const total = exercise.checks.length + 1; // check zero, the type check, comes first
    io.out(`${report.passed.length} of ${total} checks pass so far (they run in order and stop at the first failure). Stuck? npm run exercise -- ${exercise.id} --hint`);
  }
  return 1;
}

// A pristine starter must fail by throwing NotImplementedError at once, so the listing tells a
// learner "not started" rather than blaming a check for code they have not written.
async function verifyStartersFail(catalog: readonly CatalogEntry[], types: TypeCheck, io: CliIo): Promise<number> {
  let wrong = 0;
  for (const { exercise } of catalog) {
    const report = await checkStarter(io.root, exercise, types);
    const ok = report.status === 'not-started';
    if (!ok) wrong++;
    const verdict = ok ? 'fails as it should' : report.status === 'done' ? 'PASSES (should fail)' : 'fails, but not as "not started"';
    io.out(`${verdict}: ${exercise.starter} [${statusText(report)}]`);
  }
  io.out(wrong ? `${wrong} pristine starter(s) do not report "not started".` : `All ${catalog.length} starters fail until solved.`);
  return wrong ? 1 : 0;
}

// Watches the starter's folder, not the file: editors often save by replacing the file.
async function watchStarter(exercise: Exercise<unknown>, types: TypeCheck, io: CliIo): Promise<number> {
  const path = join(io.root, exercise.starter);
  const file = path.slice(dirname(path).length + 1);
  let running = Promise.resolve();
  let queued = false;
  const rerun = (): void => {
    if (queued) return;
    queued = true;
    running = running.then(async () => {
      queued = false;
      printRun(exercise, await checkStarter(io.root, exercise, types), io);
      io.out(`Watching ${exercise.starter}; save it to run the checks again (Ctrl-C to stop).`);
    });
  };
  rerun();
  const watcher = watch(dirname(path), (_event, name) => {
    if (name === file) rerun();
  });
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  watcher.close();
  await running;
  return 0;
}
