import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// The reading path is lessons/NN-slug.md; lessons/notes/ holds appendices outside it.
const lessonsDir = join(import.meta.dirname, '..', 'lessons');
const readingPath = readdirSync(lessonsDir)
  .filter((name) => /^\d\d-[a-z0-9-]+\.md$/.test(name))
  .sort();

/** Words as `wc -w` counts them: runs of non-whitespace. */
function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

interface Fence {
  readonly language: string;
  readonly startLine: number;
  readonly lines: number;
}

/** Every fenced block of a markdown file: its language, the line it opens on, and its body's length. */
function fences(markdown: string): Fence[] {
  const found: Fence[] = [];
  let open: { marker: string; language: string; startLine: number } | undefined;
  markdown.split('\n').forEach((line, index) => {
    const fence = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (!open && fence) open = { marker: fence[1]!, language: fence[2]!, startLine: index + 1 };
    else if (
      open &&
      line.trim().startsWith(open.marker) &&
      line.trim() === line.trim()[0]!.repeat(line.trim().length)
    ) {
      found.push({ language: open.language, startLine: open.startLine, lines: index - open.startLine });
      open = undefined;
    }
  });
  return found;
}

const wordBudget = (name: string): number =>
  name.startsWith('05-') ? 3000 : name.startsWith('06-') ? 2500 : 4000;

test('the lessons are numbered 01 to 06, and lesson 06 has its results table beside it', () => {
  const numbers = [...new Set(readingPath.map((name) => name.slice(0, 2)))];
  assert.deepEqual(numbers, ['01', '02', '03', '04', '05', '06']);
  assert.ok(readingPath.includes('06-results.md'));
});

for (const name of readingPath.filter((n) => n !== '06-results.md')) {
  const markdown = readFileSync(join(lessonsDir, name), 'utf8');

  test(`${name}: at most ${wordBudget(name)} words; the rest belongs in lessons/notes/`, () => {
    assert.ok(words(markdown) <= wordBudget(name), `${name} has ${words(markdown)} words`);
  });

  test(`${name}: at most half of its lines are code, folded solutions aside`, () => {
    // A folded <details> solution is off the reading path until the reader opens it.
    const unfolded = markdown.replace(/<details>[\s\S]*?<\/details>/g, '');
    const total = unfolded.split('\n').length;
    const code = fences(unfolded).reduce((sum, fence) => sum + fence.lines + 2, 0);
    assert.ok(code <= total / 2, `${code} of ${total} lines are in code blocks`);
  });

  test(`${name}: every code excerpt is at most 25 lines`, () => {
    const long = fences(markdown).filter(
      (f) => ['ts', 'js', 'python', 'py'].includes(f.language) && f.lines > 25,
    );
    assert.deepEqual(
      long.map((f) => `line ${f.startLine}: ${f.lines} lines`),
      [],
      'cite a smaller region (// #region name) instead',
    );
  });

  test(`${name}: opens with a time estimate and what you will learn, shows a diagram and ends with a recap`, () => {
    assert.match(
      markdown.split('\n').slice(0, 6).join('\n'),
      /\d+ minutes/,
      'a time estimate under the title',
    );
    assert.match(markdown, /^\*\*You will learn\*\*|^## You will learn/m);
    assert.ok(
      /^```mermaid$/m.test(markdown) || /!\[[^\]]*\]\(images\/[^)]+\.svg\)/.test(markdown),
      'no diagram',
    );
    assert.match(markdown, /^## Recap$/m);
  });
}

// 06-results.md is the bench's generated table, which lesson 06 links rather than includes.
test('the reading path, lessons 01 to 06, is at most 22,000 words', () => {
  const lessons = readingPath.filter((name) => name !== '06-results.md');
  const total = lessons.reduce((sum, name) => sum + words(readFileSync(join(lessonsDir, name), 'utf8')), 0);
  assert.ok(total <= 22000, `${total} words`);
});
