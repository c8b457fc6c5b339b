import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');
const allowedTop = new Set([
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'src',
  'lessons',
  'test',
  'README.md',
]);

test("the repository's top level holds only package.json, the lock file, tsconfig.json, src, lessons, test, README.md and dotfiles", () => {
  // Tracked files only: a cookie jar a learner left in the folder is not part of the project.
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const top = new Set(tracked.map((path) => path.split('/')[0]!));
  const extra = [...top].filter((name) => !name.startsWith('.') && !allowedTop.has(name));
  assert.deepEqual(extra, []);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('a step imports only from itself or from earlier steps, never from a later one', () => {
  const src = join(root, 'src');
  const violations: string[] = [];
  for (const step of readdirSync(src).filter((name) => /^\d\d-/.test(name))) {
    for (const file of sourceFiles(join(src, step))) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.\.?\/[^']+)'/g)) {
        const later = /(?:^|\/)(\d\d)-[a-z0-9-]+\//.exec(join(step, target!).replace(/\\/g, '/'));
        if (later && later[1]! > step.slice(0, 2))
          violations.push(`${file.slice(root.length + 1)} imports ${target}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('no import renames what it imports: one name per thing, in src/ and in test/', () => {
  const renamed: string[] = [];
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'test'))]) {
    for (const [statement, names] of readFileSync(file, 'utf8').matchAll(
      /\bimport\s+(?:type\s+)?(?:\w+\s*,\s*)?\{([^}]*)\}\s*from\s*'[^']+'/g,
    )) {
      if (/\bas\s+\w/.test(names!))
        renamed.push(`${file.slice(root.length + 1)}: ${statement!.replace(/\s+/g, ' ')}`);
    }
  }
  assert.deepEqual(renamed, []);
});

const stepFolders = readdirSync(join(root, 'src'))
  .filter((name) => /^\d\d-/.test(name))
  .sort();
const lessonOf = (step: string): string => readFileSync(join(root, 'lessons', `${step}.md`), 'utf8');

/** Every file of a step folder (any kind), as paths relative to the folder. */
function stepFiles(step: string): string[] {
  return readdirSync(join(root, 'src', step), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(join(root, 'src', step).length + 1)
        .replace(/\\/g, '/'),
    );
}

/** True when `lesson` cites the file: an include marker on it, or its path written out (from the repository or from the step folder). */
function cites(lesson: string, step: string, file: string): boolean {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const whole = (path: string): RegExp => new RegExp(`(^|[^\\w./-])${escape(path)}($|[^\\w.-])`, 'm');
  return whole(`src/${step}/${file}`).test(lesson) || whole(file).test(lesson);
}

// The demo server, its entry point and its configuration are how a step runs, not what it teaches.
const runsTheStep = new Set(['server.ts', 'main.ts', 'config.ts', 'config-rules.ts']);

test("every file of a step folder is cited by that step's lesson (an include or its path), but the step's server, main and config", () => {
  const uncited = stepFolders.flatMap((step) => {
    const lesson = lessonOf(step);
    return stepFiles(step)
      .filter((file) => !runsTheStep.has(file) && !cites(lesson, step, file))
      .map((file) => `src/${step}/${file}`);
  });
  assert.deepEqual(uncited, []);
});

test("no file of a step folder is cited by another step's lesson and not by its own", () => {
  const lessons = readdirSync(join(root, 'lessons')).filter((name) => /^\d\d-.+\.md$/.test(name));
  const elsewhere = stepFolders.flatMap((step) => {
    const own = lessonOf(step);
    return stepFiles(step).flatMap((file) => {
      const citedBy = lessons.filter(
        (name) =>
          name !== `${step}.md` &&
          readFileSync(join(root, 'lessons', name), 'utf8').includes(`src/${step}/${file}`),
      );
      return citedBy.length > 0 && !cites(own, step, file)
        ? [`src/${step}/${file} (cited by ${citedBy.join(', ')})`]
        : [];
    });
  });
  assert.deepEqual(elsewhere, []);
});

test('no step folder imports the inspector, the bench, the workshop or the tools: they import the steps, never the reverse', () => {
  const violations: string[] = [];
  for (const step of stepFolders) {
    for (const file of sourceFiles(join(root, 'src', step))) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(
        /(?:from|import\(?)\s*'(\.\.?\/[^']+)'/g,
      )) {
        const resolved = join(file, '..', target!)
          .slice(join(root, 'src').length + 1)
          .replace(/\\/g, '/');
        if (/^(inspector|bench|workshop|tools)\//.test(resolved))
          violations.push(`${file.slice(root.length + 1)} imports ${target}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("the tests' shared helpers (test/support) do not import the bench", () => {
  const violations = sourceFiles(join(root, 'test', 'support'))
    .filter((file) => /(?:from|import\()\s*'[^']*\/src\/bench\//.test(readFileSync(file, 'utf8')))
    .map((file) => file.slice(root.length + 1));
  assert.deepEqual(violations, []);
});
