import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../src/workshop/cli-commands.ts';

const expectModule = pathToFileURL(join(import.meta.dirname, '../../src/workshop/expect.ts')).href;

function exerciseFile(id: string, fn: string, cases: Array<[number, number]>): string {
  const checks = cases.map(([input, output]) => `{ name: '${fn}s ${input}', run(impl) { expectEqual(impl.${fn}(${input}), ${output}, '${fn}(${input}) is wrong'); } }`);
  return [
    `import { expectEqual } from '${expectModule}';`,
    `export const exercise = { id: '${id}', step: '01-raw-http', title: '${fn} a number', lesson: 'lessons/01-x.md',`,
    `  starter: 'src/workshop/starters/${id}.ts', hint: 'Multiply.', reference: async () => ({ ${fn}: (n: number) => n }),`,
    `  checks: [${checks.join(', ')}] };`,
  ].join('\n');
}

const notStarted = `class NotImplementedError extends Error { override name = 'NotImplementedError'; }
export function double(n: number): number { throw new NotImplementedError(String(n)); }\n`;

/** A throwaway repository with three exercises: one not started, one done, one failing its second check. */
function fixtureRepo(t: TestContext): string {
  const root = mkdtempSync(join(tmpdir(), 'workshop-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'package.json': '{ "type": "module" }\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', lib: ['es2023'], types: [], skipLibCheck: true },
    }),
    'src/workshop/exercises/double/exercise.ts': exerciseFile('double', 'double', [[2, 4]]),
    'src/workshop/starters/double.ts': notStarted,
    'src/workshop/exercises/triple/exercise.ts': exerciseFile('triple', 'triple', [[1, 3], [2, 6]]),
    'src/workshop/starters/triple.ts': 'export const triple = (n: number) => 3 * n;\n',
    'src/workshop/exercises/half/exercise.ts': exerciseFile('half', 'half', [[0, 0], [4, 2], [8, 4]]),
    'src/workshop/starters/half.ts': 'export const half = (n: number) => Math.max(0, n - 2);\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function cli(root: string, ...argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await runCli(argv, { root, out: (line) => lines.push(line) });
  return { code, output: lines.join('\n') };
}

test('npm run exercise lists every exercise with its status and exits 0', async (t) => {
  const { code, output } = await cli(fixtureRepo(t));
  assert.equal(code, 0);
  assert.equal(output, [
    'Exercises (run one with: npm run exercise -- <id>)',
    '  double  01-raw-http  double a number [not started]',
    '  half    01-raw-http  half a number [failing: halfs 8]',
    '  triple  01-raw-http  triple a number [done]',
  ].join('\n'));
});

test('running a solved exercise prints every passing check, the type check first, and exits 0', async (t) => {
  const { code, output } = await cli(fixtureRepo(t), 'triple');
  assert.equal(code, 0);
  assert.match(output, /✓ type check\n {2}✓ triples 1\n {2}✓ triples 2\nAll 3 checks pass/);
});

test('running a failing exercise names the first failing check, its message and the hint command, and exits 1', async (t) => {
  const { code, output } = await cli(fixtureRepo(t), 'half');
  assert.equal(code, 1);
  assert.match(output, /✓ halfs 0\n {2}✓ halfs 4\n {2}✗ halfs 8\n {4}half\(8\) is wrong\n {6}expected: 4\n {6}got: {6}6\n/);
  assert.match(output, /3 of 4 checks pass so far \(they run in order and stop at the first failure\)\. Stuck\? npm run exercise -- half --hint/);
});

test('a starter with a type error fails check zero with file:line:col and the message, even when its checks would pass', async (t) => {
  const root = fixtureRepo(t);
  writeFileSync(join(root, 'src/workshop/starters/triple.ts'), 'export const triple = (n: number) => 3 * n;\nconst typo: number = "x";\nvoid typo;\n');
  const { code, output } = await cli(root, 'triple');
  assert.equal(code, 1);
  assert.match(output, /✗ type check\n {4}src\/workshop\/starters\/triple\.ts:2:7 - error TS2322: Type 'string' is not assignable to type 'number'\.\n/);
  assert.match(output, /Fix this type error first/);
  assert.doesNotMatch(output, /Done!/);
  assert.match((await cli(root)).output, /triple +01-raw-http +triple a number \[failing: type check\]/);
});

test('running an untouched starter says it is not started and exits 1', async (t) => {
  const { code, output } = await cli(fixtureRepo(t), 'double');
  assert.equal(code, 1);
  assert.match(output, /Not started: src\/workshop\/starters\/double\.ts still throws NotImplementedError/);
});

test('--hint prints the hint and exits 0', async (t) => {
  assert.deepEqual(await cli(fixtureRepo(t), 'double', '--hint'), { code: 0, output: 'Hint for double:\nMultiply.' });
});

test('an unknown id lists the known ids and exits 2', async (t) => {
  assert.deepEqual(await cli(fixtureRepo(t), 'quadruple'), { code: 2, output: 'Unknown exercise "quadruple". Exercises: double, half, triple' });
  assert.equal((await cli(fixtureRepo(t), 'double', '--frobnicate')).code, 2);
});

test('--verify-starters-fail exits 1 unless every starter fails as "not started"', async (t) => {
  const root = fixtureRepo(t);
  const passing = await cli(root, '--verify-starters-fail');
  assert.equal(passing.code, 1);
  assert.match(passing.output, /PASSES \(should fail\): src\/workshop\/starters\/triple\.ts/);
  assert.match(passing.output, /fails, but not as "not started": src\/workshop\/starters\/half\.ts/);
  rmSync(join(root, 'src/workshop/exercises/triple'), { recursive: true });
  assert.equal((await cli(root, '--verify-starters-fail')).code, 1, 'a starter that fails a check instead of throwing NotImplementedError');
  rmSync(join(root, 'src/workshop/exercises/half'), { recursive: true });
  assert.equal((await cli(root, '--verify-starters-fail')).code, 0);
});

test('a starter that type-checks but throws as it loads is reported as failing, not as a crash', async (t) => {
  const root = fixtureRepo(t);
  writeFileSync(join(root, 'src/workshop/starters/double.ts'), 'export const double = (n: number) => 2 * n;\nthrow new Error("boom");\n');
  const { code, output } = await cli(root, 'double');
  assert.equal(code, 1);
  assert.match(output, /✓ type check\n {2}✗ loading src\/workshop\/starters\/double\.ts\n {4}your code threw Error: boom/);
});

test('--watch reruns the checks each time the starter is saved, until stopped', { timeout: 30_000 }, async (t) => {
  const root = fixtureRepo(t);
  const lines: string[] = [];
  let onLine = (): void => {};
  const waitFor = (pattern: RegExp): Promise<void> =>
    new Promise((resolve) => {
      onLine = () => {
        if (pattern.test(lines.join('\n'))) resolve();
      };
      onLine();
    });
  const stop = new AbortController();
  t.after(() => stop.abort());
  const exit = runCli(['double', '--watch'], { root, signal: stop.signal, out: (line) => (lines.push(line), onLine()) });
  await waitFor(/Not started[^]*Watching src\/workshop\/starters\/double\.ts/);
  writeFileSync(join(root, 'src/workshop/starters/double.ts'), 'export const double = (n: number) => 2 * n;\n');
  await waitFor(/All 2 checks pass/);
  stop.abort();
  assert.equal(await exit, 0);
});
