import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Check, Exercise } from '../../src/workshop/types.ts';

const root = join(import.meta.dirname, '..', '..');
const ids = ['reject-unknown-sid', 'atomic-write', 'sweep-expired'];

/** The name of the first check `impl` fails, or null when it passes them all. */
async function firstFailure<I>(checks: readonly Check<I>[], impl: I): Promise<string | null> {
  for (const check of checks) {
    try {
      await check.run(impl);
    } catch {
      return check.name;
    }
  }
  return null;
}

async function load(id: string): Promise<Exercise<unknown>> {
  const module = (await import(pathToFileURL(join(root, 'src', 'workshop', 'exercises', id, 'exercise.ts')).href)) as { exercise: Exercise<unknown> };
  return module.exercise;
}

for (const id of ids) {
  test(`exercise ${id}: the step's own code passes every check`, async () => {
    const exercise = await load(id);
    assert.equal(exercise.id, id);
    assert.equal(await firstFailure(exercise.checks, await exercise.reference()), null);
  });

  test(`exercise ${id}: each known-bad fixture fails exactly at the check that names it`, async () => {
    const exercise = await load(id);
    const dir = join(root, 'test', 'workshop', 'fixtures', id);
    const fixtures = (await readdir(dir)).filter((name) => name.startsWith('bad-') && name.endsWith('.ts'));
    assert.ok(fixtures.length >= 2, 'at least two known-bad fixtures');
    for (const name of fixtures) {
      const fixture = (await import(pathToFileURL(join(dir, name)).href)) as { caughtBy: string };
      assert.ok(exercise.checks.some((c) => c.name === fixture.caughtBy), `${name}: no check is named ${fixture.caughtBy}`);
      assert.equal(await firstFailure(exercise.checks, fixture), fixture.caughtBy, name);
    }
  });

  test(`exercise ${id}: its starter has a TODO, its lesson names it, its hint is there`, async () => {
    const exercise = await load(id);
    assert.match(await readFile(join(root, exercise.starter), 'utf8'), /\/\/ TODO\(exercise\)/);
    assert.ok((await readFile(join(root, exercise.lesson), 'utf8')).includes(`npm run exercise -- ${id}`));
    assert.ok(exercise.hint.length > 20);
  });
}
