import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runLessonTranscripts } from './support/lesson-transcripts.ts';
import { startStepServer } from './support/step-process.ts';
import { outputMatches, parseTranscripts } from './support/transcript.ts';

const root = join(import.meta.dirname, '..');

test('a console block is read as commands, each followed by its expected output, with server markers', () => {
  const lesson = [
    '# Lesson',
    '',
    '```console',
    '$ curl -s http://127.0.0.1:5000/',
    'OK',
    '$ curl -s \\',
    '  -b jar http://127.0.0.1:5000/x',
    'a',
    '',
    'b',
    '```',
    '```sh',
    '$ not a transcript',
    '```',
    "<!-- server: FLASK_SECRET_KEY=dev FLASK_NAME='a b' -->",
    '',
    '```console',
    '$ true',
    '```',
  ].join('\n');
  assert.deepEqual(parseTranscripts(lesson), [
    {
      line: 3,
      serverEnv: undefined,
      commands: [
        { line: 4, command: 'curl -s http://127.0.0.1:5000/', expected: ['OK'] },
        { line: 6, command: 'curl -s \\\n  -b jar http://127.0.0.1:5000/x', expected: ['a', '', 'b'] },
      ],
    },
    {
      line: 17,
      serverEnv: { FLASK_SECRET_KEY: 'dev', FLASK_NAME: 'a b' },
      commands: [{ line: 18, command: 'true', expected: [] }],
    },
  ]);
  assert.throws(
    () => parseTranscripts('```console\noutput without a command\n```'),
    /must start with a "\$ " command/,
  );
});

test('every server marker in lessons/ is shown to the reader: a sh block since the last transcript starts the step with its variables', () => {
  for (const file of readdirSync(join(root, 'lessons')).filter((name) => /^\d\d-.+\.md$/.test(name))) {
    const text = readFileSync(join(root, 'lessons', file), 'utf8');
    for (const block of parseTranscripts(text)) {
      if (!block.serverEnv) continue;
      const before = text
        .split('\n')
        .slice(0, block.line - 1)
        .join('\n');
      const sinceLastTranscript = before.slice(before.lastIndexOf('```console') + 1);
      const sh = [...sinceLastTranscript.matchAll(/```sh\n([^]*?)```/g)].at(-1)?.[1] ?? '';
      for (const [key, value] of Object.entries(block.serverEnv)) {
        assert.ok(
          sh.includes(`${key}=`) && sh.includes(value),
          `lessons/${file}:${block.line}: the server runs with ${key}=${value}, but no sh block before it tells the reader to start it so`,
        );
      }
    }
  }
});

test('output matches line for line, with … standing for any text within one line, after CRLF and trailing-space cleanup', () => {
  assert.ok(
    outputMatches(
      ['HTTP/1.1 200 OK', 'Date: …', 'Set-Cookie: session=…; HttpOnly'],
      'HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 1970\r\nSet-Cookie: session=abc; HttpOnly  \r\n\r\n',
    ),
  );
  assert.ok(outputMatches(['a (1+1)*[x]?'], 'a (1+1)*[x]?'), 'regex characters in the lesson are literal');
  assert.ok(outputMatches([], ''));
  assert.ok(!outputMatches(['Date: …'], 'Date: x\nExtra: header'), 'an unwritten extra line is a mismatch');
  assert.ok(!outputMatches(['a…'], 'b'));
  assert.ok(!outputMatches(['…'], 'one\ntwo'), '… never spans lines');
  assert.ok(!outputMatches(['OK'], ''));
});

/** A throwaway repository with a tiny step 01 server and the given lesson. */
function fixtureRepo(t: TestContext, lesson: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'fake-lab',
      type: 'module',
      scripts: { hello: 'echo hello from $npm_package_name' },
    }),
    'src/01-demo/main.ts': [
      "import { createServer } from 'node:http';",
      'let count = 0;',
      "const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${process.env.GREETING ?? 'world'} (request ${++count})`));",
      "server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`));",
      "process.once('SIGTERM', () => { server.close(); server.closeAllConnections(); });",
    ].join('\n'),
    'lessons/01-demo.md': lesson,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const goodLesson = `# Demo

\`\`\`console
$ curl -s http://127.0.0.1:5000/
hello world (request 1)
$ echo made > file.txt
\`\`\`

<!-- server: GREETING=lesson -->
\`\`\`console
$ curl -s -i http://127.0.0.1:5000/
HTTP/1.1 200 OK
content-type: text/plain
Date: …
Connection: keep-alive
Keep-Alive: timeout=5
Transfer-Encoding: chunked

hello lesson (request 1)
$ cat file.txt
made
$ npm run -s hello
hello from fake-lab
\`\`\`
`;

test('a lesson transcript runs against its step server, restarted with the marker env, in one shared directory', async (t) => {
  assert.equal(await runLessonTranscripts(fixtureRepo(t, goodLesson), 'lessons/01-demo.md'), 5);
});

test('a transcript whose output differs fails with the lesson line, the expected and the actual output', async (t) => {
  const repo = fixtureRepo(t, goodLesson.replace('hello world (request 1)', 'hello world (request 2)'));
  await assert.rejects(runLessonTranscripts(repo, 'lessons/01-demo.md'), (error: Error) => {
    assert.match(
      error.message,
      /^lessons\/01-demo\.md:4: \$ curl -s http:\/\/127\.0\.0\.1:5000\/\nprinted something else \(exit code 0\)\.\nexpected \(… matches any text within a line\):\n {2}hello world \(request 2\)\nactual:\n {2}hello world \(request 1\)\n/,
    );
    return true;
  });
});

test('a command that does not finish is killed and reported', async (t) => {
  const repo = fixtureRepo(t, '```console\n$ sleep 20; echo late\nlate\n```\n');
  await assert.rejects(runLessonTranscripts(repo, 'lessons/01-demo.md', 500), /did not finish within 0\.5 s/);
});

test('a stopped step server no longer accepts connections', async (t) => {
  const repo = fixtureRepo(t, '');
  const server = await startStepServer(join(repo, 'src/01-demo/main.ts'), { cwd: repo, env: process.env });
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  await assert.rejects(
    new Promise((resolve, reject) =>
      request({ host: '127.0.0.1', port: server.port, agent: false }, resolve).on('error', reject).end(),
    ),
    { code: 'ECONNREFUSED' },
  );
});

for (const lesson of readdirSync(join(root, 'lessons'))
  .filter((name) => /^\d\d-.+\.md$/.test(name))
  .sort()) {
  test(
    `the console transcripts of lessons/${lesson} print what the lesson says`,
    { timeout: 300_000 },
    async () => {
      await runLessonTranscripts(root, `lessons/${lesson}`);
    },
  );
}

test('a step whose main.ts does not print the listening line first, or exits, is reported with its output', async (t) => {
  const repo = fixtureRepo(t, '');
  writeFileSync(
    join(repo, 'src/01-demo/early.ts'),
    "console.log('starting…');\nsetInterval(() => {}, 1000);\n",
  );
  writeFileSync(
    join(repo, 'src/01-demo/crash.ts'),
    "console.error('FLASK_SECRET_KEY is required');\nprocess.exit(3);\n",
  );
  await assert.rejects(
    startStepServer(join(repo, 'src/01-demo/early.ts'), { cwd: repo, env: process.env }),
    /printed "starting…" first, not "listening on http:\/\/127\.0\.0\.1:<port>"/,
  );
  await assert.rejects(
    startStepServer(join(repo, 'src/01-demo/crash.ts'), { cwd: repo, env: process.env }),
    /exited with code 3 before listening\nFLASK_SECRET_KEY is required/,
  );
});
