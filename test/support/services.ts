import type { TestContext } from 'node:test';

/** True when the suite runs in CI, where every server-backed test is required. */
export const inCI = process.env.CI === 'true';

/**
 * Guards a test that needs something outside the project (a server, Flask, Chromium).
 * `probe` resolves true when it is there. Missing in CI: the test fails. Missing elsewhere:
 * the test is skipped with one line saying what to start. Returns true when the test may run.
 */
export async function requireService(
  t: TestContext,
  what: string,
  howToStart: string,
  probe: () => Promise<boolean>,
): Promise<boolean> {
  let available = false;
  try {
    available = await probe();
  } catch {
    available = false;
  }
  if (available) return true;
  if (inCI) throw new Error(`${what} is required under CI=true but is not available (${howToStart})`);
  t.skip(`${what} not available: ${howToStart}`);
  return false;
}
