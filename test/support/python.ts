import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { requireService } from './services.ts';

/** Runs a Python snippet under Debian's python3 (the one with `python3-msgpack`); stdin in, stdout out. */
export function python(code: string, input = ''): string {
  const result = spawnSync('/usr/bin/python3', ['-c', code], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Guards a test that compares bytes with Python's `msgpack` package. */
export function requirePythonMsgpack(t: TestContext): Promise<boolean> {
  return requireService(t, 'Python 3 with msgpack', 'apt-get install python3-msgpack', async () => {
    python('import msgpack');
    return true;
  });
}
