import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `npm run test:step -- 02`: the tests of one step (its folder under test/, and its browser
// test), without the type check and without the suites that cover every step at once.
const root = fileURLToPath(new URL('../..', import.meta.url));
const wanted = (process.argv[2] ?? '').padStart(2, '0');
const steps = readdirSync(`${root}/test`)
  .filter((name) => /^\d\d-/.test(name))
  .sort();
const folder = steps.find((name) => name.startsWith(`${wanted}-`));
if (!process.argv[2] || !folder) {
  console.error(`usage: npm run test:step -- <NN>   (one of: ${steps.map((s) => s.slice(0, 2)).join(', ')})`);
  process.exit(2);
}
const files = readdirSync(`${root}/test/${folder}`)
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/${folder}/${name}`);
if (existsSync(`${root}/test/browser/${folder}.test.ts`)) files.push(`test/browser/${folder}.test.ts`);
console.error(
  `running ${files.length} test files of step ${wanted} (the fault suite and the lesson checks cover every step: npm test)`,
);
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files.sort()], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
