import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CatalogEntry } from './catalog.ts';
import { type CliIo, printRun, whatNext } from './cli-output.ts';
import { doneCount, firstUnsolved, type Workshop } from './workshop.ts';

/**
 * Rustlings' loop: check an exercise, again on every save of its starter, and after a pass move
 * on to the next unsolved one in lesson order, until all pass or `io.signal` stops it. Without
 * `start`, it starts at the first unsolved exercise.
 */
export async function watchExercises(
  workshop: Workshop,
  start: CatalogEntry | undefined,
  io: CliIo,
): Promise<number> {
  const first = start ?? firstUnsolved(await workshop.standings());
  if (!first) {
    io.out(whatNext(await workshop.standings()));
    return 0;
  }
  let current = first;
  let watcher: FSWatcher | undefined;
  let finish = (): void => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  // Watches the starter's folder, not the file: editors often save by replacing the file.
  const follow = (entry: CatalogEntry): void => {
    watcher?.close();
    const path = join(workshop.root, entry.exercise.starter);
    watcher = watch(dirname(path), (_event, name) => {
      if (name === basename(path)) rerun();
    });
  };

  const runCurrent = async (banner?: string): Promise<void> => {
    io.clearScreen?.();
    if (banner) io.out(banner);
    const report = await workshop.check(current);
    printRun(current.exercise, report, io);
    if (report.status !== 'done') {
      io.out(`Watching ${current.exercise.starter}; save it to run the checks again (Ctrl-C to stop).`);
      return;
    }
    const standings = await workshop.standings();
    const next = firstUnsolved(standings);
    if (!next) {
      io.out(whatNext(standings));
      finish();
      return;
    }
    const solved = current.exercise.id;
    current = next;
    follow(next);
    await runCurrent(`✓ ${solved} done (${doneCount(standings)}). Next: ${next.exercise.id}`);
  };

  let running = Promise.resolve();
  let queued = false;
  const rerun = (): void => {
    if (queued) return;
    queued = true;
    running = running
      .then(() => {
        queued = false;
        return runCurrent();
      })
      .catch((error: unknown) =>
        io.out(`The runner failed: ${error instanceof Error ? error.stack : String(error)}`),
      );
  };

  follow(current);
  rerun();
  await Promise.race([finished, aborted(io.signal)]);
  watcher?.close();
  await running;
  return 0;
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}
