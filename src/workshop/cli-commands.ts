import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CatalogEntry, loadCatalog } from './catalog.ts';
import { type Command, parseCommand, usage } from './cli-args.ts';
import { type CliIo, printList, printRun, statusText, whatNext } from './cli-output.ts';
import { pristineStarter } from './pristine.ts';
import { solutionText } from './solution.ts';
import { watchExercises } from './watch.ts';
import { Workshop } from './workshop.ts';

/** `npm run exercise …`: resolves with the exit code (0 done/listed, 1 failing or refused, 2 usage error). */
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
  if (id !== undefined && !entry)
    return usageError(
      io,
      `Unknown exercise "${id}". Exercises: ${catalog.map((e) => e.exercise.id).join(', ')}`,
    );
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

async function dispatch(
  command: Command,
  entry: CatalogEntry | undefined,
  workshop: Workshop,
  io: CliIo,
): Promise<number> {
  switch (command.kind) {
    case 'list':
      printList(await workshop.standings(), io);
      return 0;
    case 'verify':
      return verifyStartersFail(workshop, io);
    case 'watch':
      return watchExercises(workshop, entry, io);
  }
  if (!entry) throw new Error(`${command.kind} needs an exercise`);
  switch (command.kind) {
    case 'hint':
      io.out(`Hint for ${entry.exercise.id}:\n${entry.exercise.hint}`);
      return 0;
    case 'reset':
      return reset(entry, io);
    case 'solution':
      return solution(entry, workshop, io);
    default:
      return runOne(entry, workshop, io);
  }
}

async function runOne(entry: CatalogEntry, workshop: Workshop, io: CliIo): Promise<number> {
  const code = printRun(entry.exercise, await workshop.check(entry), io);
  if (code === 0) io.out(whatNext(await workshop.standings()));
  return code;
}

// Asks nothing: --reset is explicit, and says what it did.
async function reset(entry: CatalogEntry, io: CliIo): Promise<number> {
  const { starter } = entry.exercise;
  const pristine = await pristineStarter(io.root, starter);
  if (!pristine) {
    io.out(
      `Cannot reset ${starter}: git has no committed version of it that carries TODO(exercise). Is this a git clone of the project?`,
    );
    return 1;
  }
  writeFileSync(join(io.root, starter), pristine.text);
  io.out(
    `Reset ${starter} to its starter as shipped (git commit ${pristine.commit.slice(0, 7)}); your changes to it are gone.`,
  );
  return 0;
}

async function solution(entry: CatalogEntry, workshop: Workshop, io: CliIo): Promise<number> {
  const { exercise } = entry;
  const report = await workshop.check(entry);
  if (report.status !== 'done') {
    io.out(
      `The solution of ${exercise.id} opens once your code passes (now: ${statusText(report)}). Run npm run exercise -- ${exercise.id}, or ask for a hint with --hint.`,
    );
    return 1;
  }
  io.out(`Reference solution of ${exercise.id} (${exercise.solution}), the step's own code:`);
  io.out(solutionText(io.root, exercise.solution));
  return 0;
}

// A pristine starter must fail by throwing NotImplementedError at once, so the listing tells a
// learner "not started" rather than blaming a check for code they have not written.
async function verifyStartersFail(workshop: Workshop, io: CliIo): Promise<number> {
  let wrong = 0;
  for (const { entry, report } of await workshop.standings()) {
    const ok = report.status === 'not-started';
    if (!ok) wrong++;
    const verdict = ok
      ? 'fails as it should'
      : report.status === 'done'
        ? 'PASSES (should fail)'
        : 'fails, but not as "not started"';
    io.out(`${verdict}: ${entry.exercise.starter} [${statusText(report)}]`);
  }
  io.out(
    wrong
      ? `${wrong} pristine starter(s) do not report "not started".`
      : `All ${workshop.catalog.length} starters fail until solved.`,
  );
  return wrong ? 1 : 0;
}
