import { watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CatalogEntry } from './catalog.ts';
import { type CliIo, printRun } from './cli-output.ts';
import type { Workshop } from './workshop.ts';

/** Reruns an exercise's checks each time its starter is saved, until `io.signal` stops it. */
export async function watchStarter(workshop: Workshop, entry: CatalogEntry, io: CliIo): Promise<number> {
  const path = join(workshop.root, entry.exercise.starter);
  let running = Promise.resolve();
  let queued = false;
  const rerun = (): void => {
    if (queued) return;
    queued = true;
    running = running.then(async () => {
      queued = false;
      printRun(entry.exercise, await workshop.check(entry), io);
      io.out(`Watching ${entry.exercise.starter}; save it to run the checks again (Ctrl-C to stop).`);
    });
  };
  rerun();
  // Watches the starter's folder, not the file: editors often save by replacing the file.
  const watcher = watch(dirname(path), (_event, name) => {
    if (name === basename(path)) rerun();
  });
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  watcher.close();
  await running;
  return 0;
}
