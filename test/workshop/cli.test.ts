import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../src/workshop/cli-commands.ts';
import { starterState } from '../../src/workshop/pristine.ts';

const expectModule = pathToFileURL(join(import.meta.dirname, '../../src/workshop/expect.ts')).href;

interface FixtureExercise {
  readonly fn: string;
  readonly lesson: string;
  readonly step: string;
  readonly cases: Array<[number, number]>;
}

// Lesson order is not alphabetical: lesson 01 asks for triple, then half; lesson 02 for double.
const exercises: Record<string, FixtureExercise> = {
  double: { fn: 'double', lesson: 'lessons/02-second.md', step: '02-longer-step', cases: [[2, 4]] },
  triple: {
    fn: 'triple',
    lesson: 'lessons/01-first.md',
    step: '01-x',
    cases: [
      [1, 3],
      [2, 6],
    ],
  },
  half: {
    fn: 'half',
    lesson: 'lessons/01-first.md',
    step: '01-x',
    cases: [
      [0, 0],
      [4, 2],
      [8, 4],
    ],
  },
};

function exerciseFile(id: string, { fn, lesson, step, cases }: FixtureExercise): string {
  const checks = cases.map(
    ([input, output]) =>
      `{ name: '${fn}s ${input}', run(impl) { expectEqual(impl.${fn}(${input}), ${output}, '${fn}(${input}) is wrong: fix the arithmetic'); } }`,
  );
  return [
    `import { expectEqual } from '${expectModule}';`,
    `export const exercise = { id: '${id}', step: '${step}', title: '${fn} a number', lesson: '${lesson}',`,
    `  starter: 'src/workshop/starters/${id}.ts', solution: 'src/${step}/solutions.ts#${id}', hint: 'Multiply.',`,
    `  reference: async () => ({ ${fn}: (n: number) => n }), checks: [${checks.join(', ')}] };`,
  ].join('\n');
}

const starter = (fn: string, body: string): string =>
  `class NotImplementedError extends Error { override name = 'NotImplementedError'; }\n` +
  `export function ${fn}(n: number): number {\n  // TODO(exercise)\n  ${body}\n}\n`;
const notStarted = (fn: string): string => starter(fn, 'throw new NotImplementedError(String(n));');

const solved = { double: 'return 2 * n;', triple: 'return 3 * n;', half: 'return n / 2;' };

/** A throwaway repository, committed to git: double not started, triple done, half failing its third check. */
function fixtureRepo(t: TestContext): string {
  const root = mkdtempSync(join(tmpdir(), 'workshop-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'package.json': '{ "type": "module" }\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        lib: ['es2023'],
        types: [],
        skipLibCheck: true,
      },
    }),
    'lessons/01-first.md': '# One\n\nFirst `npm run exercise -- triple`, then `npm run exercise -- half`.\n',
    'lessons/02-second.md': '# Two\n\n`npm run exercise -- double`\n',
    'src/01-x/solutions.ts':
      '// #region half\nexport const half = (n: number) => n / 2;\n// #endregion half\n',
    'src/02-longer-step/solutions.ts':
      '// #region double\nexport const double = (n: number) => 2 * n;\n// #endregion double\n',
    'src/workshop/starters/double.ts': notStarted('double'),
    'src/workshop/starters/triple.ts': starter('triple', solved.triple),
    'src/workshop/starters/half.ts': starter('half', 'return Math.max(0, n - 2);'),
  };
  for (const [id, exercise] of Object.entries(exercises))
    files[`src/workshop/exercises/${id}/exercise.ts`] = exerciseFile(id, exercise);
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'fixture');
  return root;
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function git(root: string, ...args: string[]): void {
  execFileSync('git', [
    '-C',
    root,
    '-c',
    'user.name=Learner',
    '-c',
    'user.email=learner@example.com',
    ...args,
  ]);
}

async function cli(root: string, ...argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await runCli(argv, { root, out: (line) => lines.push(line) });
  return { code, output: lines.join('\n') };
}

test('npm run exercise lists the exercises in lesson order, in aligned columns, with N/M done and what is next', async (t) => {
  const { code, output } = await cli(fixtureRepo(t));
  assert.equal(code, 0);
  assert.equal(
    output,
    [
      'Exercises in lesson order (run one with: npm run exercise -- <id>)',
      '  id      step            title            status',
      '  triple  01-x            triple a number  done',
      '  half    01-x            half a number    failing: halfs 8',
      '  double  02-longer-step  double a number  not started',
      '1/3 done, next: half (npm run exercise -- half)',
    ].join('\n'),
  );
});

test('once every exercise passes, the list ends with the finish message', async (t) => {
  const root = fixtureRepo(t);
  write(root, 'src/workshop/starters/half.ts', starter('half', solved.half));
  write(root, 'src/workshop/starters/double.ts', starter('double', solved.double));
  const { code, output } = await cli(root);
  assert.equal(code, 0);
  assert.match(output, /\n3\/3 done\. All 3 exercises pass: .*Well done!$/);
});

test('running a solved exercise prints every passing check, the type check first, then what is next, and exits 0', async (t) => {
  const { code, output } = await cli(fixtureRepo(t), 'triple');
  assert.equal(code, 0);
  assert.match(
    output,
    /✓ type check\n {2}✓ triples 1\n {2}✓ triples 2\nAll 3 checks pass\. Done!\n1\/3 done, next: half \(npm run exercise -- half\)$/,
  );
});

test('running a failing exercise names the first failing check, its message and the hint command, and exits 1', async (t) => {
  const { code, output } = await cli(fixtureRepo(t), 'half');
  assert.equal(code, 1);
  assert.match(
    output,
    /✓ halfs 0\n {2}✓ halfs 4\n {2}✗ halfs 8\n {4}half\(8\) is wrong: fix the arithmetic\n {6}expected: 4\n {6}got: {6}6\n/,
  );
  assert.match(
    output,
    /3 of 4 checks pass so far \(they run in order and stop at the first failure\)\. Stuck\? npm run exercise -- half --hint/,
  );
});

test('a starter with a type error fails check zero with file:line:col and the message, even when its checks would pass', async (t) => {
  const root = fixtureRepo(t);
  write(
    root,
    'src/workshop/starters/triple.ts',
    'export const triple = (n: number) => 3 * n;\nconst typo: number = "x";\nvoid typo;\n',
  );
  const { code, output } = await cli(root, 'triple');
  assert.equal(code, 1);
  assert.match(
    output,
    /✗ type check\n {4}src\/workshop\/starters\/triple\.ts:2:7 - error TS2322: Type 'string' is not assignable to type 'number'\.\n/,
  );
  assert.match(output, /Fix this type error first/);
  assert.doesNotMatch(output, /Done!/);
  assert.match((await cli(root)).output, /triple +01-x +triple a number +failing: type check/);
});

test('running an untouched starter says it is not started and exits 1', async (t) => {
  const { code, output } = await cli(fixtureRepo(t), 'double');
  assert.equal(code, 1);
  assert.match(output, /Not started: src\/workshop\/starters\/double\.ts still throws NotImplementedError/);
});

test('--hint prints the hint and exits 0', async (t) => {
  assert.deepEqual(await cli(fixtureRepo(t), 'double', '--hint'), {
    code: 0,
    output: 'Hint for double:\nMultiply.',
  });
});

test('--help and -h print the usage and exit 0', async (t) => {
  const root = fixtureRepo(t);
  for (const flag of ['--help', '-h']) {
    const { code, output } = await cli(root, flag);
    assert.equal(code, 0, flag);
    assert.match(output, /^usage: npm run exercise .*\n(.*\n)*.*--reset/, flag);
  }
});

test('an unknown id lists the known ids, and an unknown flag prints the usage; both exit 2', async (t) => {
  const root = fixtureRepo(t);
  assert.deepEqual(await cli(root, 'quadruple'), {
    code: 2,
    output: 'Unknown exercise "quadruple". Exercises: triple, half, double',
  });
  const flag = await cli(root, 'double', '--frobnicate');
  assert.equal(flag.code, 2);
  assert.match(flag.output, /^unknown argument --frobnicate\nusage: /);
  assert.equal((await cli(root, '--solution')).code, 2, '--solution without an id');
});

test('--verify-starters-fail exits 1 unless every starter fails as "not started"', async (t) => {
  const root = fixtureRepo(t);
  const passing = await cli(root, '--verify-starters-fail');
  assert.equal(passing.code, 1);
  assert.match(passing.output, /PASSES \(should fail\): src\/workshop\/starters\/triple\.ts/);
  assert.match(passing.output, /fails, but not as "not started": src\/workshop\/starters\/half\.ts/);
  rmSync(join(root, 'src/workshop/exercises/triple'), { recursive: true });
  assert.equal(
    (await cli(root, '--verify-starters-fail')).code,
    1,
    'a starter that fails a check instead of throwing NotImplementedError',
  );
  rmSync(join(root, 'src/workshop/exercises/half'), { recursive: true });
  assert.equal((await cli(root, '--verify-starters-fail')).code, 0);
});

test('a starter that type-checks but throws as it loads is reported as failing, not as a crash', async (t) => {
  const root = fixtureRepo(t);
  write(
    root,
    'src/workshop/starters/double.ts',
    'export const double = (n: number) => 2 * n;\nthrow new Error("boom");\n',
  );
  const { code, output } = await cli(root, 'double');
  assert.equal(code, 1);
  assert.match(
    output,
    /✓ type check\n {2}✗ loading src\/workshop\/starters\/double\.ts\n {4}your code threw Error: boom/,
  );
});

test('--reset puts the starter back as shipped, asks nothing and says so; a committed solution does not count as shipped', async (t) => {
  const root = fixtureRepo(t);
  const path = join(root, 'src/workshop/starters/double.ts');
  write(root, 'src/workshop/starters/double.ts', starter('double', solved.double));
  const reset = await cli(root, 'double', '--reset');
  assert.equal(reset.code, 0);
  assert.match(
    reset.output,
    /^Reset src\/workshop\/starters\/double\.ts to its starter as shipped \(git commit [0-9a-f]{7}\); your changes to it are gone\.$/,
  );
  assert.equal(readFileSync(path, 'utf8'), notStarted('double'));
  writeFileSync(path, 'export const double = (n: number) => 2 * n;\n');
  git(root, 'commit', '-q', '-am', 'my solution');
  assert.equal((await cli(root, 'double', '--reset')).code, 0);
  assert.equal(readFileSync(path, 'utf8'), notStarted('double'));
});

test('--reset refuses, changing nothing, where git has no shipped starter', async (t) => {
  const root = fixtureRepo(t);
  rmSync(join(root, '.git'), { recursive: true, force: true });
  write(root, 'src/workshop/starters/double.ts', starter('double', solved.double));
  const { code, output } = await cli(root, 'double', '--reset');
  assert.equal(code, 1);
  assert.match(output, /^Cannot reset src\/workshop\/starters\/double\.ts: git has no committed version/);
  assert.equal(
    readFileSync(join(root, 'src/workshop/starters/double.ts'), 'utf8'),
    starter('double', solved.double),
  );
});

test('--solution refuses before the exercise passes, and prints the reference region after', async (t) => {
  const root = fixtureRepo(t);
  const before = await cli(root, 'half', '--solution');
  assert.equal(before.code, 1);
  assert.match(before.output, /^The solution of half opens once your code passes \(now: failing: halfs 8\)/);
  assert.doesNotMatch(before.output, /n \/ 2/);
  write(root, 'src/workshop/starters/half.ts', starter('half', solved.half));
  assert.deepEqual(await cli(root, 'half', '--solution'), {
    code: 0,
    output:
      "Reference solution of half (src/01-x/solutions.ts#half), the step's own code:\nexport const half = (n: number) => n / 2;",
  });
});

test("a learner's solved starter is their own file; the shipped one, even after a committed solution, is what git shipped", async (t) => {
  const root = fixtureRepo(t);
  const path = 'src/workshop/starters/double.ts';
  assert.equal(await starterState(root, path), 'pristine');
  write(root, path, 'export const double = (n: number) => 2 * n;\n');
  assert.equal(await starterState(root, path), 'own');
  git(root, 'commit', '-q', '-am', 'my solution');
  assert.equal(await starterState(root, path), 'own');
  rmSync(join(root, '.git'), { recursive: true, force: true });
  assert.equal(await starterState(root, path), 'unknown');
});

/** Drives `--watch` on a fixture root: lines as they come, a way to wait for one, and the stop switch. */
function watching(t: TestContext, root: string, argv: string[]) {
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
  const io = {
    root,
    signal: stop.signal,
    clearScreen: () => lines.push('<clear>'),
    out: (line: string) => (lines.push(line), onLine()),
  };
  return { lines, waitFor, stop, exit: runCli(argv, io) };
}

test(
  '--watch with no id starts at the first unsolved exercise, type-checks each save, and after a pass moves on to the next',
  { timeout: 60_000 },
  async (t) => {
    const root = fixtureRepo(t);
    const watch = watching(t, root, ['--watch']);
    await watch.waitFor(/✗ halfs 8[^]*Watching src\/workshop\/starters\/half\.ts/);
    assert.equal(watch.lines[0], '<clear>', 'the screen is cleared before the first run');
    assert.match(watch.lines[1]!, /^half: /, 'the first run is the first unsolved exercise in lesson order');
    write(root, 'src/workshop/starters/half.ts', starter('half', 'return `${n / 2}`;'));
    await watch.waitFor(/✗ type check\n {4}src\/workshop\/starters\/half\.ts:4:3 - error TS2322/);
    write(root, 'src/workshop/starters/half.ts', starter('half', solved.half));
    await watch.waitFor(/Watching src\/workshop\/starters\/double\.ts/);
    const afterPass = watch.lines.slice(watch.lines.lastIndexOf('<clear>'));
    assert.equal(afterPass[1], '✓ half done (2/3 done). Next: double');
    assert.match(afterPass.join('\n'), /Not started: src\/workshop\/starters\/double\.ts/);
    watch.stop.abort();
    assert.equal(await watch.exit, 0);
  },
);

test(
  '--watch on the last unsolved exercise ends with the finish message once it passes',
  { timeout: 60_000 },
  async (t) => {
    const root = fixtureRepo(t);
    write(root, 'src/workshop/starters/half.ts', starter('half', solved.half));
    const watch = watching(t, root, ['double', '--watch']);
    await watch.waitFor(/Not started[^]*Watching src\/workshop\/starters\/double\.ts/);
    write(root, 'src/workshop/starters/double.ts', starter('double', solved.double));
    assert.equal(await watch.exit, 0);
    assert.match(watch.lines.join('\n'), /All 2 checks pass\. Done!\n3\/3 done\. All 3 exercises pass/);
  },
);
