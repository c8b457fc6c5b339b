import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadCatalog } from '../../src/workshop/catalog.ts';
import { runChecks } from '../../src/workshop/run-checks.ts';
import { solutionText } from '../../src/workshop/solution.ts';

const root = join(import.meta.dirname, '..', '..');
const catalog = await loadCatalog(root);
const fixtures = join(import.meta.dirname, 'fixtures');

/** `bad-*.ts` fixtures are wrong solutions a check must catch; `good-*.ts` ones are other right solutions. */
function fixtureFiles(id: string, kind: 'bad' | 'good'): string[] {
  const dir = join(fixtures, id);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.startsWith(`${kind}-`) && name.endsWith('.ts'))
        .sort()
    : [];
}

test('the catalog finds every exercise folder', () => {
  const folders = readdirSync(join(root, 'src/workshop/exercises')).sort();
  assert.deepEqual(catalog.map((e) => e.folder).sort(), folders);
  assert.ok(catalog.length >= 2);
});

for (const { folder, exercise } of catalog) {
  test(`${folder}: the id matches its folder, and it has a title, a hint and at least one check`, () => {
    assert.equal(exercise.id, folder);
    assert.match(exercise.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    assert.ok(exercise.title.trim(), 'empty title');
    assert.ok(exercise.hint.trim(), 'empty hint');
    assert.ok(
      existsSync(join(root, 'src', exercise.step)),
      `step folder src/${exercise.step} does not exist`,
    );
    assert.ok(exercise.checks.length > 0);
    const names = exercise.checks.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, 'check names must be unique');
  });

  test(`${folder}: the starter exists, the solution region exists, and the lesson tells how to run it`, () => {
    assert.equal(exercise.starter, `src/workshop/starters/${exercise.id}.ts`);
    assert.ok(existsSync(join(root, exercise.starter)), `${exercise.starter} is missing`);
    assert.match(
      exercise.solution,
      /^src\/\d\d-[a-z0-9-]+\/[^#]+\.ts(#[a-z0-9-]+(,[a-z0-9-]+)*)?$/,
      'solution: a path in a step folder, with an optional #region or #region,region',
    );
    assert.ok(solutionText(root, exercise.solution).trim(), `${exercise.solution} is empty`);
    assert.match(exercise.lesson, /^lessons\/\d\d-[a-z0-9-]+\.md$/);
    assert.ok(
      readFileSync(join(root, exercise.lesson), 'utf8').includes(`npm run exercise -- ${exercise.id}`),
      `${exercise.lesson} never says npm run exercise -- ${exercise.id}`,
    );
  });

  test(`${folder}: the instructor's plan (lessons/workshop.md) gives it a place`, () => {
    assert.ok(readFileSync(join(root, 'lessons/workshop.md'), 'utf8').includes(`\`${exercise.id}\``));
  });

  test(`${folder}: no lesson shows the solution before the exercise asks for it`, () => {
    // A whole-file solution may share its file with what the lesson shows earlier; only its regions are answers.
    const [file, regions] = exercise.solution.split('#');
    const markers = regions
      ? regions.split(',').map((region) => `<!-- include: ${file}#${region} -->`)
      : [`<!-- include: ${file}`];
    const lessons = readdirSync(join(root, 'lessons'))
      .filter((name) => /^\d\d-.+\.md$/.test(name))
      .sort();
    for (const name of lessons) {
      const path = `lessons/${name}`;
      const markdown = readFileSync(join(root, path), 'utf8');
      const shownAt = Math.min(...markers.map((marker) => markdown.indexOf(marker)).filter((at) => at >= 0));
      if (shownAt === Infinity) continue;
      assert.ok(
        path >= exercise.lesson,
        `${path} shows ${exercise.solution} before ${exercise.lesson} asks for it`,
      );
      if (path !== exercise.lesson || !regions) continue;
      const askedAt = markdown.indexOf(`npm run exercise -- ${exercise.id}`);
      assert.ok(
        askedAt >= 0 && askedAt < shownAt,
        `${path} shows ${exercise.solution} before it says npm run exercise -- ${exercise.id}`,
      );
    }
  });

  test(`${folder}: the reference (the step's own code) passes every check`, async () => {
    const report = await runChecks(exercise.checks, await exercise.reference());
    assert.deepEqual(report, { status: 'done', passed: exercise.checks.map((c) => c.name) });
  });

  test(`${folder}: has at least two known-bad fixtures`, () => {
    assert.ok(
      fixtureFiles(folder, 'bad').length >= 2,
      `add test/workshop/fixtures/${folder}/bad-<mistake>.ts files`,
    );
  });

  for (const file of fixtureFiles(folder, 'good')) {
    test(`${folder}: ${file}, another right solution, passes every check`, async () => {
      const report = await runChecks(
        exercise.checks,
        await import(pathToFileURL(join(fixtures, folder, file)).href),
      );
      assert.deepEqual(report, { status: 'done', passed: exercise.checks.map((c) => c.name) });
    });
  }

  for (const file of fixtureFiles(folder, 'bad')) {
    test(`${folder}: ${file} fails first at the check it declares in caughtBy`, async () => {
      type Fixture = { caughtBy?: string; throwsItself?: boolean; explains?: string };
      const impl = (await import(pathToFileURL(join(fixtures, folder, file)).href)) as Fixture;
      assert.ok(
        exercise.checks.some((c) => c.name === impl.caughtBy),
        `caughtBy ${JSON.stringify(impl.caughtBy)} names no check of ${folder}`,
      );
      const report = await runChecks(exercise.checks, impl);
      if (report.status !== 'failing') assert.fail(`${file} was not caught: ${report.status}`);
      assert.equal(report.check, impl.caughtBy);
      assert.ok(report.message.trim(), 'a failing check must say what to fix');
      // "your code threw" is for an error the learner's code threw itself, never for a check's verdict.
      if (impl.throwsItself) assert.match(report.message, /^your code threw/);
      else assert.doesNotMatch(report.message, /^your code threw/);
      if (impl.explains)
        assert.ok(
          report.message.includes(impl.explains),
          `the message should say "${impl.explains}":\n${report.message}`,
        );
    });
  }
}
