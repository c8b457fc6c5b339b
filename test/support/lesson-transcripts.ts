import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runShell, type StepServer, startStepServer } from './step-process.ts';
import { normalizeOutput, outputMatches, parseTranscripts, type TranscriptCommand } from './transcript.ts';

const lessonPort = '127.0.0.1:5000';

/** How long one transcript command may run before it is killed and reported. */
export const commandTimeoutMs = 30_000;

/**
 * Runs every console block of `lesson` (repo-relative) against `src/<lesson slug>/main.ts`,
 * in one temporary directory shared by the lesson's commands; throws on the first mismatch.
 * Returns the number of commands run.
 */
export async function runLessonTranscripts(
  root: string,
  lesson: string,
  timeoutMs = commandTimeoutMs,
): Promise<number> {
  const blocks = parseTranscripts(readFileSync(join(root, lesson), 'utf8'));
  if (blocks.length === 0) return 0;
  const main = join(root, 'src', basename(lesson, '.md'), 'main.ts');
  if (!existsSync(main)) throw new Error(`${lesson} has console blocks but ${main} does not exist`);
  const cwd = mkdtempSync(join(tmpdir(), 'transcript-'));
  const bin = mkdtempSync(join(tmpdir(), 'transcript-bin-'));
  let server: StepServer | undefined;
  let count = 0;
  try {
    const env = commandEnv(root, bin);
    for (const block of blocks) {
      if (block.serverEnv || !server) {
        await server?.stop();
        server = undefined;
        server = await startStepServer(main, { cwd, env: { ...serverBaseEnv(), ...block.serverEnv } });
      }
      for (const command of block.commands) {
        await runCommand(lesson, command, server, { cwd, env, timeoutMs });
        count++;
      }
    }
  } finally {
    await server?.stop();
    rmSync(cwd, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  }
  return count;
}

async function runCommand(
  lesson: string,
  step: TranscriptCommand,
  server: StepServer,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<void> {
  const here = `127.0.0.1:${server.port}`;
  const command = step.command.replaceAll(lessonPort, here);
  const expected = step.expected.map((line) => line.replaceAll(lessonPort, here));
  const result = await runShell(command, options);
  if (!result.timedOut && outputMatches(expected, result.output)) return;
  const indent = (lines: readonly string[]): string => lines.map((l) => `  ${l}`).join('\n');
  throw new Error(
    [
      `${lesson}:${step.line}: $ ${step.command}`,
      result.timedOut
        ? `did not finish within ${options.timeoutMs / 1000} s (start long-running things such as the server in a \`\`\`sh block: the test starts the server itself)`
        : `printed something else (exit code ${result.code}).`,
      'expected (… matches any text within a line):',
      indent(normalizeOutput(expected.join('\n'))),
      'actual:',
      indent(normalizeOutput(result.output)),
      'server log (last 20 lines):',
      indent(normalizeOutput(server.log()).slice(-20)) || '  (empty)',
    ].join('\n'),
  );
}

// The server gets the caller's environment minus FLASK_* settings, so only the lesson's marker configures it.
function serverBaseEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('FLASK_') && key !== 'PORT'),
  );
}

// `npm run …` in a transcript runs the repository's scripts: a shim ahead of npm on PATH adds --prefix.
function commandEnv(root: string, bin: string): NodeJS.ProcessEnv {
  const npm = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(bin, 'npm'),
    `#!/usr/bin/env bash\nexec ${shellQuote(npm)} --prefix ${shellQuote(root)} "$@"\n`,
  );
  chmodSync(join(bin, 'npm'), 0o755);
  return {
    ...serverBaseEnv(),
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
