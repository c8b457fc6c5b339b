import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');
const allowedTop = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'lessons', 'test', 'README.md']);

test('the repository\'s top level holds only package.json, the lock file, tsconfig.json, src, lessons, test, README.md and dotfiles', () => {
  // Tracked files only: a cookie jar a learner left in the folder is not part of the project.
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
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
        if (later && later[1]! > step.slice(0, 2)) violations.push(`${file.slice(root.length + 1)} imports ${target}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('no import renames what it imports: one name per thing, in src/ and in test/', () => {
  const renamed: string[] = [];
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'test'))]) {
    for (const [statement, names] of readFileSync(file, 'utf8').matchAll(/\bimport\s+(?:type\s+)?(?:\w+\s*,\s*)?\{([^}]*)\}\s*from\s*'[^']+'/g)) {
      if (/\bas\s+\w/.test(names!)) renamed.push(`${file.slice(root.length + 1)}: ${statement!.replace(/\s+/g, ' ')}`);
    }
  }
  assert.deepEqual(renamed, []);
});
