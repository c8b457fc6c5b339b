import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { NotImplementedError, type Check, type Exercise } from '../../src/workshop/types.ts';

const root = join(import.meta.dirname, '..', '..');
const ids = ['constant-time-verify', 'max-age-check', 'should-set-cookie'];

async function load(id: string): Promise<Exercise<object>> {
  const module = (await import(pathToFileURL(join(root, 'src/workshop/exercises', id, 'exercise.ts')).href)) as { exercise: Exercise<object> };
  return module.exercise;
}

/** Runs the checks in order; the name of the first that fails and its error, or undefined. */
async function firstFailure(checks: readonly Check<object>[], impl: object): Promise<{ name: string; error: unknown } | undefined> {
  for (const check of checks) {
    try {
      await check.run(impl);
    } catch (error) {
      return { name: check.name, error };
    }
  }
  return undefined;
}

for (const id of ids) {
  test(`exercise ${id}: the step's own code passes every check`, async () => {
    const exercise = await load(id);
    assert.equal(exercise.id, id);
    assert.equal(exercise.step, '02-signed-cookie');
    assert.deepEqual(await firstFailure(exercise.checks, await exercise.reference()), undefined);
  });

  test(`exercise ${id}: each known-bad fixture fails exactly at the check it names`, async () => {
    const exercise = await load(id);
    const dir = join(root, 'test/workshop/fixtures', id);
    const fixtures = readdirSync(dir).filter((name) => /^bad-.*\.ts$/.test(name));
    assert.ok(fixtures.length >= 2, 'at least two bad fixtures');
    for (const file of fixtures) {
      const { caughtBy, ...impl } = (await import(pathToFileURL(join(dir, file)).href)) as { caughtBy: string };
      const failure = await firstFailure(exercise.checks, impl);
      assert.equal(failure?.name, caughtBy, `${file}: ${String((failure?.error as Error | undefined)?.message)}`);
      assert.ok(exercise.checks.some((check) => check.name === caughtBy), `${file} names an existing check`);
    }
  });

  test(`exercise ${id}: the untouched starter fails with NotImplementedError and says TODO(exercise)`, async () => {
    const exercise = await load(id);
    const source = readFileSync(join(root, exercise.starter), 'utf8');
    assert.match(source, /\/\/ TODO\(exercise\)/);
    const starter = (await import(pathToFileURL(join(root, exercise.starter)).href)) as object;
    const failure = await firstFailure(exercise.checks, starter);
    assert.equal(failure?.name, exercise.checks[0]!.name);
    const cause = failure?.error instanceof NotImplementedError ? failure.error : (failure?.error as Error | undefined)?.cause;
    assert.ok(cause instanceof NotImplementedError || /NotImplementedError|not written yet/.test(String((failure?.error as Error).message)), String(failure?.error));
  });

  test(`exercise ${id}: has a hint, and its lesson tells the learner to run it`, async () => {
    const exercise = await load(id);
    assert.ok(exercise.hint.length > 20);
    assert.ok(exercise.title.length > 0);
    assert.match(readFileSync(join(root, exercise.lesson), 'utf8'), new RegExp(`npm run exercise -- ${id}\\b`));
  });
}
