/**
 * `npm run measure:json-file`: time per request against the number of stored sessions, for the
 * article's port and the fixed store. Both keep every session in one file, so both read (and
 * write) all of them on every request; the table shows what that costs as the file grows.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServer, listen } from '../01-raw-http/serve.ts';
import { buildApp } from '../03-json-file/server.ts';
import { median } from './report.ts';

type Impl = 'article' | 'fixed';

/** Stored sessions, and how many timed requests at that size (fewer for the big files). */
const sizes: ReadonlyArray<[sessions: number, requests: number]> = [
  [10, 200],
  [1_000, 200],
  [10_000, 50],
  [100_000, 10],
];

/** A session file holding `count` sessions in the impl's own format; returns the sid of the last one. */
async function fillFile(root: string, impl: Impl, count: number): Promise<string> {
  const nowSeconds = Math.trunc(Date.now() / 1000);
  const entries: Record<string, unknown> = {};
  let sid = '';
  for (let i = 0; i < count; i++) {
    sid = randomUUID();
    const data = { _permanent: true, name: 'xiaoming', count: i };
    entries[sid] =
      impl === 'article'
        ? { ...data, permanent: nowSeconds + 7200 }
        : { expiresAt: Date.now() + 7_200_000, data };
  }
  const path =
    impl === 'article' ? join(root, 'static', 'session.json') : join(root, 'instance', 'sessions.json');
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(entries));
  return sid;
}

function get(port: number, agent: Agent, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/counter', agent, headers: { cookie } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Median milliseconds per `GET /counter` by one client whose session is among `count` stored ones, and the file's size. */
async function measure(impl: Impl, count: number, requests: number): Promise<{ ms: number; bytes: number }> {
  const root = await mkdtemp(join(tmpdir(), 'session-lab-measure-'));
  try {
    const sid = await fillFile(root, impl, count);
    const app = buildApp({ SESSION_IMPL: impl, SESSION_USE_SIGNER: false }, { rootPath: root });
    const server = createAppServer(app);
    const port = await listen(server, 0);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await get(port, agent, `session=${sid}`); // warm-up, not timed
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const started = performance.now();
        const status = await get(port, agent, `session=${sid}`);
        times.push(performance.now() - started);
        if (status !== 200) throw new Error(`GET /counter answered ${status}`);
      }
      const ms = median(times);
      const bytes = (
        await stat(
          impl === 'article' ? app.staticFolder + '/session.json' : join(app.instancePath, 'sessions.json'),
        )
      ).size;
      return { ms, bytes };
    } finally {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${process.platform}, files in ${tmpdir()}, load average ${loadavg()[0]!.toFixed(1)}\n`,
);
console.log(
  '| stored sessions | file size (fixed store) | requests timed | article port, median ms/request | fixed store, median ms/request |',
);
console.log('|---:|---:|---:|---:|---:|');
for (const [count, requests] of sizes) {
  const article = await measure('article', count, requests);
  const fixed = await measure('fixed', count, requests);
  const size = `${(fixed.bytes / 1024).toFixed(fixed.bytes < 10_240 ? 1 : 0)} KiB`;
  console.log(
    `| ${count.toLocaleString('en-US')} | ${size} | ${requests} | ${article.ms.toFixed(2)} | ${fixed.ms.toFixed(2)} |`,
  );
}
