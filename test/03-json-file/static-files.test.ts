import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { PlainCookieSessionInterface } from '../../src/01-raw-http/plain-cookie-session.ts';
import { FlaskWithFolders, safeJoin } from '../../src/03-json-file/flask-app.ts';
import { fetchRaw } from '../support/http.ts';
import { captureLogs, serve } from '../support/server.ts';

async function appWithSecretNextToStatic(t: TestContext): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'session-lab-03-static-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'static', 'css'), { recursive: true });
  await writeFile(join(root, 'static', 'css', 'site.css'), 'body {}\n');
  await writeFile(join(root, 'secret.txt'), 'top secret\n');
  const app = new FlaskWithFolders(root);
  app.sessionInterface = new PlainCookieSessionInterface();
  captureLogs(app);
  return (await serve(app, t)).base;
}

test('a file in the static folder is served under /static/ with its content type', async (t) => {
  const base = await appWithSecretNextToStatic(t);
  const response = await fetchRaw(base, '/static/css/site.css');
  assert.equal(response.status, 200);
  assert.equal(response.body, 'body {}\n');
  assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
});

test('a missing static file or a folder is a 404', async (t) => {
  const base = await appWithSecretNextToStatic(t);
  assert.equal((await fetchRaw(base, '/static/nope.css')).status, 404);
  assert.equal((await fetchRaw(base, '/static/css')).status, 404);
});

test('no path, encoded or not, reaches a file outside the static folder', async (t) => {
  const base = await appWithSecretNextToStatic(t);
  const attempts = [
    '/static/../secret.txt',
    '/static/..%2fsecret.txt',
    '/static/%2e%2e/secret.txt',
    '/static/css/..%2f..%2fsecret.txt',
    '/static/%2fetc%2fpasswd',
    '/static/..%5csecret.txt',
    '/static/css%00/../../secret.txt',
  ];
  for (const path of attempts) {
    const response = await fetchRaw(base, path);
    assert.ok(!response.body.includes('top secret'), `${path} leaked a file outside the static folder`);
    assert.ok([400, 404].includes(response.status), `${path} answered ${response.status}`);
  }
});

test('safeJoin keeps a path inside its folder and refuses one that leaves it', () => {
  assert.equal(safeJoin('/srv/static', 'css/./site.css'), join('/srv/static', 'css/site.css'));
  assert.equal(safeJoin('/srv/static', 'css/../site.css'), join('/srv/static', 'site.css'));
  for (const bad of ['..', '../x', 'css/../../x', '/etc/passwd', 'a\\..\\..\\x', 'a\0b'])
    assert.equal(safeJoin('/srv/static', bad), null, bad);
});
