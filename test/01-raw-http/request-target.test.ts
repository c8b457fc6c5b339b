import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import { request } from '../../src/01-raw-http/context.ts';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { splitTarget } from '../../src/01-raw-http/request.ts';
import { rawGet } from '../support/raw-request.ts';
import { captureLogs, serve } from '../support/server.ts';
import { requireService } from '../support/services.ts';

const python = '/usr/bin/python3';

// Request targets a browser would clean up first but a raw client or a proxy may pass on as is.
const targets = [
  '/counter',
  '/a/../counter',
  '/%2e%2e/counter',
  '//evil.example/counter',
  '//counter',
  '/a\\b',
  '/sp%20ace?q=%E4%BD%A0',
  '/x?a=1&b=%20&c=%zz',
  '/x??a',
  '/x?',
  'http://host.example/counter?z=1',
  '*',
];

test('a request path is taken as sent: dot segments stay, so /a/../counter is not /counter', () => {
  assert.deepEqual(splitTarget('/a/../counter'), { path: '/a/../counter', queryString: '' });
  assert.deepEqual(splitTarget('/%2e%2e/counter'), { path: '/../counter', queryString: '' });
  assert.deepEqual(splitTarget('//evil.example/counter'), { path: '/evil.example/counter', queryString: '' });
  assert.deepEqual(splitTarget('/x??a#frag'), { path: '/x', queryString: '?a' });
  assert.deepEqual(splitTarget('http://host.example/counter?z=1'), { path: '/counter', queryString: 'z=1' });
});

// Each side answers every path with what it made of the request target.
const werkzeugApp = `
import json, logging
from flask import Flask, request
from werkzeug.serving import make_server

app = Flask(__name__)

@app.route("/", defaults={"p": ""})
@app.route("/<path:p>")
def echo(p):
    return json.dumps([request.path, request.query_string.decode("latin1"), list(request.args.items(multi=True))])

logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = make_server("127.0.0.1", 0, app)
print(server.port, flush=True)
server.serve_forever()
`;

async function startWerkzeug(t: TestContext): Promise<number> {
  const child = spawn(python, ['-c', werkzeugApp], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill());
  const exited = once(child, 'exit').then(([code]) =>
    assert.fail(`the Flask app exited with ${code} before listening`),
  );
  const [line] = (await Promise.race([once(child.stdout!, 'data'), exited])) as [Buffer];
  return Number(line.toString().trim());
}

async function startOurs(t: TestContext): Promise<number> {
  const app = new Flask();
  app.sessionInterface = new PlainCookieSessionInterface();
  captureLogs(app);
  const echo = (): string => JSON.stringify([request.path, request.queryString, [...request.query]]);
  app.get('/', echo);
  app.get('/<path:p>', echo);
  return Number(new URL((await serve(app, t)).base).port);
}

test("every request target gives the path, query string and args that Werkzeug's server gives", async (t) => {
  const flaskInstalled = () =>
    new Promise<boolean>((resolve) => execFile(python, ['-c', 'import flask'], (error) => resolve(!error)));
  if (
    !(await requireService(
      t,
      'Flask (Debian python3-flask under /usr/bin/python3)',
      'apt-get install -y python3-flask',
      flaskInstalled,
    ))
  )
    return;
  const [werkzeug, ours] = await Promise.all([startWerkzeug(t), startOurs(t)]);
  for (const target of targets) {
    const expected = await rawGet(werkzeug, target, Buffer.alloc(0));
    const actual = await rawGet(ours, target, Buffer.alloc(0));
    assert.equal(expected.status, 200, `Werkzeug on ${target}: ${expected.body}`);
    assert.deepEqual([actual.status, JSON.parse(actual.body)], [200, JSON.parse(expected.body)], target);
  }
});
