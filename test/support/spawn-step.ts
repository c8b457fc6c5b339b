import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const src = join(import.meta.dirname, '..', '..', 'src');

/** Starts a step's main.ts with PORT=0 and `env`; resolves with its base URL; killed when the test ends. */
export function startStep(
  step: string,
  env: Record<string, string>,
  t: { after(fn: () => unknown): void },
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(src, step, 'main.ts')], {
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`${step} exited with ${code}: ${err}`)));
  });
}

/** A TCP port nothing listens on right now, from the OS (bind to 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Re-runs `probe` every `intervalMs` until it returns true or `limitMs` passes: waiting for a condition, not for time. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  limitMs = 10_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
}
