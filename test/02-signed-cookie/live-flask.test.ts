import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Flask } from '../../src/01-raw-http/app.ts';
import type { FlaskConfig } from '../../src/01-raw-http/config.ts';
import { request, session } from '../../src/01-raw-http/context.ts';
import { dictEntries } from '../../src/02-signed-cookie/dict.ts';
import { SecureCookieSessionInterface } from '../../src/02-signed-cookie/secure-cookie-interface.ts';
import { URLSafeTimedSerializer } from '../../src/02-signed-cookie/serializer.ts';
import { dumpsTagged, loadsTagged, sessionJsonSerializer } from '../../src/02-signed-cookie/tagged-json.ts';
import { fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';
import { requireService } from '../support/services.ts';

const python = '/usr/bin/python3';

// The same two routes on both sides: /read answers the session as Flask's tagged JSON,
// POST /write replaces the session with the tagged JSON in the body.
const flaskApp = `
import json, os
from importlib.metadata import version
from wsgiref.simple_server import make_server, WSGIRequestHandler
from flask import Flask, request, session

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["APP_SECRET_KEY"]
app.config["SECRET_KEY_FALLBACKS"] = json.loads(os.environ.get("APP_SECRET_KEY_FALLBACKS", "[]"))
tagged = app.session_interface.serializer

@app.get("/read")
def read():
    return tagged.dumps(dict(session))

@app.post("/write")
def write():
    data = tagged.loads(request.get_data(as_text=True))
    session.clear()
    session.update(data)
    return "ok"

@app.get("/version")
def flask_version():
    return version("flask")

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
`;

async function flaskAvailable(t: TestContext): Promise<boolean> {
  return requireService(
    t,
    'Flask (Debian python3-flask under /usr/bin/python3)',
    'apt-get install -y python3-flask',
    () => new Promise((resolve) => execFile(python, ['-c', 'import flask'], (error) => resolve(!error))),
  );
}

/** Starts the Flask app above on a free port; stopped when the test ends. */
async function startFlask(t: TestContext, secret: string, fallbacks: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'live-flask-'));
  await writeFile(join(dir, 'app.py'), flaskApp);
  const child: ChildProcess = spawn(python, [join(dir, 'app.py')], {
    env: {
      PATH: process.env.PATH,
      APP_SECRET_KEY: secret,
      APP_SECRET_KEY_FALLBACKS: JSON.stringify(fallbacks),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(async () => {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  });
  const exited = once(child, 'exit').then(([code]) =>
    assert.fail(`the Flask app exited with ${code} before listening`),
  );
  const [line] = (await Promise.race([once(child.stdout!, 'data'), exited])) as [Buffer];
  return `http://127.0.0.1:${line.toString().trim()}`;
}

/** Our side: the same routes on the step 02 session interface. */
async function startOurs(t: TestContext, config: Partial<FlaskConfig>): Promise<string> {
  const app = new Flask(config);
  app.sessionInterface = new SecureCookieSessionInterface();
  captureLogs(app);
  app.get('/read', () => dumpsTagged(session.toJSON()));
  app.post('/write', () => {
    session.clear();
    session.update(dictEntries(loadsTagged(request.body.toString('utf8')) as Record<string, unknown>));
    return 'ok';
  });
  return (await serve(app, t)).base;
}

const cookieOf = (setCookies: string[]) =>
  /^session=([^;]+)/.exec(setCookies[0] ?? '')?.[1] ?? assert.fail(`no session cookie in ${setCookies}`);
const write = async (base: string, json: string) =>
  cookieOf((await fetchRaw(base, '/write', { method: 'POST', body: json })).setCookies);
const read = async (base: string, cookie: string) =>
  (await fetchRaw(base, '/read', { headers: { cookie: `session=${cookie}` } })).body;

// Every tag, escaping, code-point ordering, big ints, float reprs, a __proto__ key; and one that compresses.
const sessions = [
  '{"__proto__":{"isAdmin":true},"b":{" b":"AP9oZWxsbw=="},"big":18446744073709551616,"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},' +
    '"esc":{" di":{" t__":"not a tuple"}},"f":[1e-05,1e+16,-0.0,0.1],"m":{" m":"<b>hi</b>"},"name":"\\u5c0f\\u660e",' +
    '"t":{" t":[1,"a",[2,3]]},"u":{" u":"12345678123456781234567812345678"},"\\ue000":1,"\\ud83d\\ude00":2}',
  `{"data":"${'a'.repeat(300)}","list":[${Array.from({ length: 40 }, (_, i) => i).join(',')}]}`,
];

test('a cookie made here is read by real Flask as the same session, and a cookie Flask made is read here', async (t) => {
  if (!(await flaskAvailable(t))) return;
  const flask = await startFlask(t, 'live-secret');
  const ours = await startOurs(t, { SECRET_KEY: 'live-secret' });
  for (const json of sessions) {
    assert.equal(await read(flask, await write(ours, json)), json, 'Flask reads our cookie');
    assert.equal(await read(ours, await write(flask, json)), json, "we read Flask's cookie");
  }
});

test('an uncompressed cookie from real Flask is reproduced here byte for byte at its timestamp', async (t) => {
  if (!(await flaskAvailable(t))) return;
  const flask = await startFlask(t, 'live-secret');
  const options = {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    serializer: sessionJsonSerializer,
  } as const;
  // Both too short for zlib to pay off, so Flask sends them uncompressed.
  for (const json of [
    '{"name":"\\u5c0f\\u660e","t":{" t":[1,"a"]},"user_id":42}',
    '{"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},"n":-0.0}',
  ]) {
    const cookie = await write(flask, json);
    assert.ok(!cookie.startsWith('.'), cookie);
    const { value, timestamp } = new URLSafeTimedSerializer('live-secret', options).loadsWithTimestamp(
      cookie,
    );
    assert.equal(
      new URLSafeTimedSerializer('live-secret', { ...options, now: () => timestamp * 1000 }).dumps(value),
      cookie,
    );
  }
});

test('key rotation against real Flask: the current key signs on both sides; fallbacks verify where Flask has them', async (t) => {
  if (!(await flaskAvailable(t))) return;
  const rotating = await startFlask(t, 'new-key', ['old-key']);
  const flaskVersion = (await fetchRaw(rotating, '/version')).body;
  const oursRotating = await startOurs(t, { SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS: ['old-key'] });
  const oldCookie = await write(await startOurs(t, { SECRET_KEY: 'old-key' }), '{"user":"bob"}');

  // Flask 3.1+ honours SECRET_KEY_FALLBACKS; Flask 2.2 (Debian bookworm) ignores it and starts afresh.
  const [major = 0, minor = 0] = flaskVersion.split('.').map(Number);
  const flaskHasFallbacks = major > 3 || (major === 3 && minor >= 1);
  assert.equal(
    await read(rotating, oldCookie),
    flaskHasFallbacks ? '{"user":"bob"}' : '{}',
    `Flask ${flaskVersion}`,
  );
  assert.equal(await read(oursRotating, oldCookie), '{"user":"bob"}');

  const newOnlyFlask = await startFlask(t, 'new-key');
  const newOnlyOurs = await startOurs(t, { SECRET_KEY: 'new-key' });
  assert.equal(
    await read(newOnlyFlask, await write(oursRotating, '{"user":"bob2"}')),
    '{"user":"bob2"}',
    'our rotated cookie is signed by new-key',
  );
  assert.equal(
    await read(newOnlyOurs, await write(rotating, '{"user":"bob3"}')),
    '{"user":"bob3"}',
    "Flask's rotated cookie is signed by new-key",
  );
});
