import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLessons, rewriteLesson } from './lesson-blocks.ts';

// `npm run lessons:sync` rewrites every cited block of lessons/*.md from its code region;
// `npm run lessons:sync -- --check` only reports, and exits 1 when anything is out of date.
const root = fileURLToPath(new URL('../..', import.meta.url));
const checkOnly = process.argv.includes('--check');
const report = checkLessons(root);

if (!checkOnly) {
  for (const lesson of new Set(report.stale.map((s) => s.include.lesson))) {
    const stale = report.stale.filter((s) => s.include.lesson === lesson);
    writeFileSync(`${root}/${lesson}`, rewriteLesson(readFileSync(`${root}/${lesson}`, 'utf8'), stale));
    for (const { include } of stale) console.log(`updated ${lesson}: ${include.path}#${include.region}`);
  }
}
for (const problem of report.problems) console.error(`error: ${problem}`);
if (checkOnly) for (const { message } of report.stale) console.error(`stale: ${message}`);
for (const key of report.uncited)
  console.error(`uncited: ${key} (cite it in a lesson with <!-- include: ${key} -->)`);

const failed =
  report.problems.length > 0 || report.uncited.length > 0 || (checkOnly && report.stale.length > 0);
if (!failed && report.stale.length === 0) console.log('lessons are in sync with the code');
process.exitCode = failed ? 1 : 0;
