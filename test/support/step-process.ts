import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const tsx = import.meta.resolve('tsx');

/** A step's `main.ts` running as a child process. */
export interface StepServer {
  readonly port: number;
  /** Everything the server printed so far, for a failure message. */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with how the process ended. */
  stop(): Promise<ExitInfo>;
}

/** How a child process ended: an exit code, or the signal that killed it. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Starts `main` (a step's main.ts, or the step runner with `args`) with PORT=0 and `env`, and resolves once it prints its
 * `listening on http://127.0.0.1:<port>` line, which must be the first line on stdout.
 */
export function startStepServer(
  main: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; args?: readonly string[] },
): Promise<StepServer> {
  const child = spawn(process.execPath, ['--import', tsx, main, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...options.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      void stopChild(child);
      reject(new Error(`${main} ${why}\n${output.join('')}`));
    };
    const timer = setTimeout(
      () => fail(`did not print "listening on" within ${options.timeoutMs ?? 30_000} ms`),
      options.timeoutMs ?? 30_000,
    );
    // 'close', not 'exit': it waits until stderr is drained, so the message carries the reason.
    child.once('close', (code) => {
      clearTimeout(timer);
      fail(`exited with code ${code} before listening`);
    });
    lines.once('line', (first) => {
      clearTimeout(timer);
      child.removeAllListeners('close');
      lines.on('line', (line) => output.push(`${line}\n`));
      const match = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(first);
      if (!match)
        return fail(`printed ${JSON.stringify(first)} first, not "listening on http://127.0.0.1:<port>"`);
      resolve({ port: Number(match[1]), log: () => output.join(''), stop: () => stopChild(child) });
    });
  });
}

// SIGTERM lets main.ts close its server; SIGKILL is the safety net for one that hangs.
function stopChild(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
    child.kill('SIGTERM');
  });
}

/** What one shell command printed (stdout and stderr interleaved, as in a terminal). */
export interface CommandResult {
  readonly output: string;
  readonly code: number | null;
  readonly timedOut: boolean;
}

/** Runs `command` with bash in `cwd`; after `timeoutMs` its whole process group is killed. */
export function runShell(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  const child = spawn('bash', ['-c', `exec 2>&1\n${command}`], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      killGroup(child);
      resolve({ output: Buffer.concat(chunks).toString('utf8'), code, timedOut });
    });
  });
}

// A command may leave children behind (a backgrounded server, a curl); end them with it.
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}
