import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckFailed } from './expect.ts';
import type { TypeCheck, TypeProblem } from './type-check.ts';
import type { Check, Exercise } from './types.ts';

/** How an implementation fared: every check passed, or the first one that failed and why. */
export type CheckReport =
  | { readonly status: 'done'; readonly passed: readonly string[] }
  | {
      readonly status: 'not-started' | 'failing';
      readonly passed: readonly string[];
      readonly check: string;
      readonly message: string;
    };

/** Check zero, run on the learner's file before any other: a file that does not type-check is never done. */
const typeCheckName = 'type check';

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
  if (error instanceof CheckFailed || (error instanceof Error && error.name === 'AssertionError'))
    return error.message;
  if (error instanceof TypeError && /private (member|field|method)/i.test(error.message))
    return explainPrivate(error);
  if (error instanceof Error) return `your code threw ${error.name}: ${error.message}`;
  return `your code threw ${String(error)}`;
}

// V8's words for reading `this.#field` on an object that is not an instance of the class, which
// happens when a method runs with a Proxy (or a copy of the object) as `this`.
function explainPrivate(error: TypeError): string {
  return [
    `your code threw TypeError: ${error.message}`,
    "A method ran with the wrong `this`: an object that does not have the class's #private fields.",
    'This happens when a Proxy forwards a method without binding it: `proxy.get(...)` calls the',
    'method with the Proxy as `this`, and only the real object holds the #private data. In your',
    'get trap, return `value.bind(target)` when the value is a function.',
  ].join('\n');
}

let generation = 0;

/**
 * Check zero (the type check), then the exercise's checks on the learner's starter. The starter is
 * imported afresh each time (a new query string defeats the module cache, so `--watch` sees each save).
 */
export async function checkStarter(
  root: string,
  exercise: Exercise<unknown>,
  types: TypeCheck,
): Promise<CheckReport> {
  let problems: TypeProblem[];
  try {
    problems = await types.problems(exercise.starter);
  } catch (error) {
    return failing(
      typeCheckName,
      `the type check could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (problems.length) return failing(typeCheckName, describeTypeProblems(problems));
  let impl: unknown;
  try {
    impl = await import(`${pathToFileURL(join(root, exercise.starter)).href}?v=${++generation}`);
  } catch (error) {
    return { ...failing(`loading ${exercise.starter}`, describe(error)), passed: [typeCheckName] };
  }
  const report = await runChecks(exercise.checks, impl);
  return { ...report, passed: [typeCheckName, ...report.passed] };
}

function failing(check: string, message: string): CheckReport {
  return { status: 'failing', passed: [], check, message };
}

function describeTypeProblems(problems: readonly TypeProblem[]): string {
  const lines = problems.map((p) => `${p.where} - error TS${p.code}: ${p.message.replace(/\n/g, '\n  ')}`);
  const count = problems.length === 1 ? 'this type error' : `these ${problems.length} type errors`;
  return `${lines.join('\n')}\nFix ${count} first: the checks run once your file type-checks (tsconfig.json's rules).`;
}
