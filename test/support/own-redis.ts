import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tcpAnswers } from './probes.ts';

/** A redis-server of the test's own, on its own port: it may be killed and started again. */
export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it answering, connections kept open (SIGSTOP), as a server that hangs does. */
  pause(): void;
  /** Lets it answer again (SIGCONT). */
  resume(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Starts redis-server with an append-only file fsynced on every write, in `dir`: a write Redis
 * acknowledged is on disk, so it survives a kill. (Redis' default keeps data in memory only,
 * snapshotting now and then: a restart would lose the sessions written since the last snapshot.)
 */
export async function startOwnRedis(dir: string): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--dir',
    dir,
  ];
  const redis: OwnRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise((resolve) => {
        running.once('exit', resolve);
        running.kill('SIGKILL');
      });
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    start: async () => {
      child = spawn('redis-server', args, { stdio: 'ignore' });
      const started = child;
      const exited = new Promise<boolean>((resolve) => started.once('exit', () => resolve(false)));
      await waitUntil(
        () => Promise.race([tcpAnswers(port), exited]).then((up) => up || started.exitCode !== null),
        10_000,
        'redis-server did not start',
      );
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
    },
  };
  await redis.start();
  return redis;
}
