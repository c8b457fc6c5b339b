import { type CatalogEntry, loadCatalog } from './catalog.ts';
import { type Command, parseCommand, usage } from './cli-args.ts';
import { type CliIo, printList, printRun, statusText, whatNext } from './cli-output.ts';
import { watchStarter } from './watch.ts';
import { Workshop } from './workshop.ts';

/** `npm run exercise …`: resolves with the exit code (0 done/listed, 1 failing, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand(argv);
  if (typeof command === 'string') return usageError(io, command);
  if (command.kind === 'help') {
    io.out(usage);
    return 0;
  }
  const catalog = await loadCatalog(io.root);
  const id = 'id' in command ? command.id : undefined;
  const entry = id === undefined ? undefined : catalog.find((e) => e.exercise.id === id);
  if (id !== undefined && !entry) return usageError(io, `Unknown exercise "${id}". Exercises: ${catalog.map((e) => e.exercise.id).join(', ')}`);
  const workshop = new Workshop(io.root, catalog);
  try {
    return await dispatch(command, entry, workshop, io);
  } finally {
    await workshop.close();
  }
}

function usageError(io: CliIo, message: string): number {
  io.out(message);
  return 2;
}

async function dispatch(command: Command, entry: CatalogEntry | undefined, workshop: Workshop, io: CliIo): Promise<number> {
  switch (command.kind) {
    case 'list':
      printList(await workshop.standings(), io);
      return 0;
    case 'verify':
      return verifyStartersFail(workshop, io);
  }
  if (!entry) throw new Error(`${command.kind} needs an exercise`);
  switch (command.kind) {
    case 'hint':
      io.out(`Hint for ${entry.exercise.id}:\n${entry.exercise.hint}`);
      return 0;
    case 'watch':
      return watchStarter(workshop, entry, io);
    default:
      return runOne(entry, workshop, io);
  }
}

async function runOne(entry: CatalogEntry, workshop: Workshop, io: CliIo): Promise<number> {
  const code = printRun(entry.exercise, await workshop.check(entry), io);
  if (code === 0) io.out(whatNext(await workshop.standings()));
  return code;
}

// A pristine starter must fail by throwing NotImplementedError at once, so the listing tells a
// learner "not started" rather than blaming a check for code they have not written.
async function verifyStartersFail(workshop: Workshop, io: CliIo): Promise<number> {
  let wrong = 0;
  for (const { entry, report } of await workshop.standings()) {
    const ok = report.status === 'not-started';
    if (!ok) wrong++;
    const verdict = ok ? 'fails as it should' : report.status === 'done' ? 'PASSES (should fail)' : 'fails, but not as "not started"';
    io.out(`${verdict}: ${entry.exercise.starter} [${statusText(report)}]`);
  }
  io.out(wrong ? `${wrong} pristine starter(s) do not report "not started".` : `All ${workshop.catalog.length} starters fail until solved.`);
  return wrong ? 1 : 0;
}
