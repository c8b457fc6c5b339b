import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckFailed } from './expect.ts';
import type { Check, Exercise } from './types.ts';

/** How an implementation fared: every check passed, or the first one that failed and why. */
export type CheckReport =
  | { readonly status: 'done'; readonly passed: readonly string[] }
  | { readonly status: 'not-started' | 'failing'; readonly passed: readonly string[]; readonly check: string; readonly message: string };

/** Runs `checks` in order against `impl` and stops at the first failure. */
export async function runChecks<I>(checks: readonly Check<I>[], impl: I): Promise<CheckReport> {
  const passed: string[] = [];
  for (const check of checks) {
    try {
      await check.run(impl);
    } catch (error) {
      const status = isNotImplemented(error) ? 'not-started' : 'failing';
      return { status, passed, check: check.name, message: describe(error) };
    }
    passed.push(check.name);
  }
  return { status: 'done', passed };
}

// By name as well as class: a starter may throw its own copy, e.g. from a fixture catalog.
function isNotImplemented(error: unknown): boolean {
  return error instanceof Error && error.name === 'NotImplementedError';
}

function describe(error: unknown): string {
  // A check's own verdict, by CheckFailed or by node:assert; anything else came from the code under test.
  if (error instanceof CheckFailed || (error instanceof Error && error.name === 'AssertionError')) return error.message;
  if (error instanceof Error) return `your code threw ${error.name}: ${error.message}`;
  return `your code threw ${String(error)}`;
}

let generation = 0;

/**
 * Imports the learner's starter afresh (a new query string defeats the module cache, so
 * `--watch` sees each save) and runs the exercise's checks on it.
 */
export async function checkStarter(root: string, exercise: Exercise<unknown>): Promise<CheckReport> {
  let impl: unknown;
  try {
    impl = await import(`${pathToFileURL(join(root, exercise.starter)).href}?v=${++generation}`);
  } catch (error) {
    return { status: 'failing', passed: [], check: `loading ${exercise.starter}`, message: describe(error) };
  }
  return runChecks(exercise.checks, impl);
}
