import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { checkLessons, type LessonReport, rewriteLesson } from '../src/tools/lesson-blocks.ts';
import { parseRegions, RegionError } from '../src/tools/regions.ts';

const root = join(import.meta.dirname, '..');

/** A throwaway repo: `files` maps repo-relative paths to contents. */
function fixtureRepo(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const code = [
  'export class Greeter {',
  '  // #region greet',
  '  greet(name: string): string {',
  '',
  '    return `hi ${name}`;',
  '  }',
  '  // #endregion greet',
  '}',
  '// #region bye',
  'export const bye = 1;',
  '// #endregion bye',
  '',
].join('\n');
const greetBlock = '```ts\ngreet(name: string): string {\n\n  return `hi ${name}`;\n}\n```';
const byeBlock = '```ts\nexport const bye = 1;\n```';

function lesson(...blocks: string[]): string {
  return `# A lesson\n\n${blocks.join('\n\nSome prose.\n\n')}\n`;
}

function messages(report: LessonReport): string[] {
  return [
    ...report.problems,
    ...report.stale.map((s) => s.message),
    ...report.uncited.map((u) => `uncited ${u}`),
  ];
}

test('a region is its text without the marker lines, de-indented to its least indent', () => {
  const greet = parseRegions('a.ts', code).get('greet');
  assert.equal(greet?.text, 'greet(name: string): string {\n\n  return `hi ${name}`;\n}');
});

test('a lesson whose blocks equal their regions passes, and a region no lesson cites is listed', (t) => {
  const repo = fixtureRepo(t, {
    'src/a.ts': code,
    'lessons/01-a.md': lesson(`<!-- include: src/a.ts#greet -->\n${greetBlock}`),
  });
  const report = checkLessons(repo);
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.stale, []);
  assert.deepEqual(report.uncited, ['src/a.ts#bye']);
});

test('a block that differs from its region names the lesson, the include and the fix', (t) => {
  const repo = fixtureRepo(t, {
    'src/a.ts': code,
    'lessons/01-a.md': lesson(
      `<!-- include: src/a.ts#greet -->\n${greetBlock.replace('hi', 'hello')}`,
      `<!-- include: src/a.ts#bye -->\n${byeBlock}`,
    ),
  });
  assert.deepEqual(messages(checkLessons(repo)), [
    'lessons/01-a.md:3: include src/a.ts#greet: the block differs from the code; run npm run lessons:sync',
  ]);
});

test('a missing file or a missing region is reported with the lesson line', (t) => {
  const repo = fixtureRepo(t, {
    'src/a.ts': code,
    'lessons/01-a.md': lesson(
      `<!-- include: src/a.ts#greet -->\n${greetBlock}`,
      `<!-- include: src/a.ts#bye -->\n${byeBlock}`,
      '<!-- include: src/nope.ts#greet -->\n```ts\n```',
      '<!-- include: src/a.ts#nope -->\n```ts\n```',
      '<!-- include: ../outside.ts#x -->\n```ts\n```',
    ),
  });
  assert.deepEqual(checkLessons(repo).problems, [
    'lessons/01-a.md:20: include src/nope.ts#greet: file src/nope.ts does not exist',
    'lessons/01-a.md:26: include src/a.ts#nope: no region "nope" in src/a.ts',
    'lessons/01-a.md:32: include ../outside.ts#x: ../outside.ts is outside the repository',
  ]);
});

test('duplicate, unclosed and unopened regions are errors that name the file and line', (t) => {
  assert.throws(() => parseRegions('d.ts', '// #region x\n// #endregion x\n// #region x\n// #endregion x'), {
    name: 'RegionError',
    message: 'd.ts:3: duplicate region "x" in d.ts',
  });
  assert.throws(() => parseRegions('u.ts', 'a\n// #region x\nb'), {
    message: 'u.ts:2: region "x" is never closed (#endregion x)',
  });
  assert.throws(() => parseRegions('e.ts', '// #endregion x'), {
    message: 'e.ts:1: #endregion x without a matching #region',
  });
  assert.throws(() => parseRegions('n.ts', '// #region camelCase\n'), RegionError);
  const repo = fixtureRepo(t, { 'src/a.ts': '// #region x\n', 'lessons/01-a.md': '# A\n' });
  assert.deepEqual(checkLessons(repo).problems, ['src/a.ts:1: region "x" is never closed (#endregion x)']);
});

test('a region cited only from an appendix in lessons/notes/ counts as cited, and its block is checked too', (t) => {
  const repo = fixtureRepo(t, {
    'src/a.ts': code,
    'lessons/01-a.md': lesson(`<!-- include: src/a.ts#greet -->\n${greetBlock}`),
    'lessons/notes/01-more.md': lesson(`<!-- include: src/a.ts#bye -->\n${byeBlock.replace('1', '2')}`),
  });
  const report = checkLessons(repo);
  assert.deepEqual(report.uncited, []);
  assert.deepEqual(messages(report), [
    'lessons/notes/01-more.md:3: include src/a.ts#bye: the block differs from the code; run npm run lessons:sync',
  ]);
});

test('sync rewrites stale blocks and fills a marker that has no block, leaving the prose alone', (t) => {
  const before = lesson(
    `<!-- include: src/a.ts#greet -->\n\`\`\`ts\nold\ntext\n\`\`\``,
    '<!-- include: src/a.ts#bye -->',
    '```console\n<!-- include: src/a.ts#shown-not-cited -->\n```',
  );
  const repo = fixtureRepo(t, { 'src/a.ts': code, 'lessons/01-a.md': before });
  const report = checkLessons(repo);
  assert.equal(report.stale.length, 2);
  const after = rewriteLesson(before, report.stale);
  assert.equal(
    after,
    lesson(
      `<!-- include: src/a.ts#greet -->\n${greetBlock}`,
      `<!-- include: src/a.ts#bye -->\n${byeBlock}`,
      '```console\n<!-- include: src/a.ts#shown-not-cited -->\n```',
    ),
  );
  writeFileSync(join(repo, 'lessons/01-a.md'), after);
  assert.deepEqual(messages(checkLessons(repo)), []);
});

test('a region containing a code fence is written with a longer fence and reads back equal', (t) => {
  const repo = fixtureRepo(t, {
    'src/a.ts': '// #region doc\nconst md = "```ts";\n// #endregion doc\n',
    'lessons/01-a.md': '<!-- include: src/a.ts#doc -->\n',
  });
  const after = rewriteLesson('<!-- include: src/a.ts#doc -->\n', checkLessons(repo).stale);
  assert.equal(after, '<!-- include: src/a.ts#doc -->\n````ts\nconst md = "```ts";\n````\n');
  writeFileSync(join(repo, 'lessons/01-a.md'), after);
  assert.deepEqual(messages(checkLessons(repo)), []);
});

test('every block in lessons/ equals the code region it cites, and every region in src/ is cited by a lesson', () => {
  const report = checkLessons(root);
  assert.deepEqual(report.problems, [], 'lessons cite files or regions that are missing or malformed');
  assert.deepEqual(
    report.stale.map((s) => s.message),
    [],
    'lesson blocks differ from the code',
  );
  assert.deepEqual(
    report.uncited,
    [],
    'regions in src/ that no lesson cites (cite them with <!-- include: path#region -->)',
  );
});
