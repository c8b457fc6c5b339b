import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadRequest, LoadResult } from './load-main.ts';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** How the bench spreads its processes: the server on one CPU, the load generator on another. */
export interface Placement {
  readonly serverCpu?: number;
  readonly loadCpu?: number;
  /** Extra Node flags for the server, e.g. `--cpu-prof`. */
  readonly serverExecArgv?: readonly string[];
}

// Pins a process (all its threads) to one CPU with util-linux taskset, when asked and available.
function pin(child: ChildProcess, cpu: number | undefined): void {
  if (cpu === undefined || child.pid === undefined) return;
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(child.pid)], { stdio: 'ignore' });
}

/** A server under test, running `target-main.ts` in its own process. */
export class TargetProcess {
  private readonly child: ChildProcess;
  readonly base: string;

  private constructor(child: ChildProcess, base: string) {
    this.child = child;
    this.base = base;
  }

  /** Starts the target; rejects with the child's own reason when it cannot (e.g. Redis is down). */
  static start(
    id: string,
    placement: Placement = {},
    rootPath = '',
    config: Record<string, unknown> = {},
  ): Promise<TargetProcess> {
    const child = fork(here('./target-main.ts'), [id, rootPath, JSON.stringify(config)], {
      execArgv: ['--import', 'tsx', ...(placement.serverExecArgv ?? [])],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    pin(child, placement.serverCpu);
    return new Promise((resolve, reject) => {
      child.once('message', (message: { port?: number; failed?: string }) => {
        if (message.port) resolve(new TargetProcess(child, `http://127.0.0.1:${message.port}`));
        else reject(new Error(message.failed ?? 'no port'));
      });
      child.once('exit', (code) =>
        reject(new Error(`exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`)),
      );
    });
  }

  /** The server process's CPU time so far (user + system), in microseconds. */
  cpuMicros(): Promise<number> {
    return new Promise((resolve) => {
      this.child.once('message', (message: { cpuMicros: number }) => resolve(message.cpuMicros));
      this.child.send('cpu');
    });
  }

  /** Ends the process at once, as a crash or `kill -9` would: nothing gets to flush or close. */
  kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  /** Asks the target to close (it removes its own Redis keys and files) and waits for it to exit. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.send('stop');
    });
  }
}

/** The load generator (`load-main.ts`, autocannon) in a process of its own. */
export class LoadProcess {
  private readonly child: ChildProcess;

  constructor(placement: Placement = {}) {
    this.child = fork(here('./load-main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    pin(this.child, placement.loadCpu);
  }

  /** Runs one measurement and resolves with its figures. */
  run(request: LoadRequest): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`load generator exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (result: LoadResult) => {
        this.child.off('exit', onExit);
        resolve(result);
      });
      this.child.send(request);
    });
  }

  stop(): void {
    this.child.disconnect();
  }
}
