import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Flask } from '../01-raw-http/app.ts';
import { buildVariant, listSteps, stepVariants } from '../tools/step-variants.ts';

// `npm run bench:app-cost [-- --only 02] [--requests 50000] [--concurrency 10]`: the CPU time one
// GET /counter costs inside the app (session load, change, save), with no network at all. Run it
// under `node --cpu-prof` to see where that time goes; run it on two commits to see what a fix
// saved. With a backend, `--concurrency 10` keeps ten requests in flight, as the bench does.
const { values: args } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    requests: { type: 'string', default: '50000' },
    concurrency: { type: 'string', default: '1' },
  },
});
const requests = Number(args.requests);
const concurrency = Math.max(1, Number(args.concurrency));

function fakeRequest(cookie: string | undefined): IncomingMessage {
  const incoming = new Readable({ read: () => incoming.push(null) }) as Readable & Record<string, unknown>;
  Object.assign(incoming, {
    method: 'GET',
    url: '/counter',
    headers: cookie ? { host: '127.0.0.1', cookie } : { host: '127.0.0.1' },
  });
  return incoming as unknown as IncomingMessage;
}

// Resolves when the app has written its response; keeps the first Set-Cookie and status it sees.
function handleOnce(
  app: Flask,
  cookie: string | undefined,
  seen: { cookie?: string; status?: number },
): Promise<void> {
  return new Promise((resolve) => {
    const outgoing = {
      writeHead: (status: number, raw: string[]) => {
        seen.status ??= status;
        const at = raw.indexOf('Set-Cookie');
        if (at >= 0 && !seen.cookie) seen.cookie = raw[at + 1]!.split(';')[0];
      },
      end: () => resolve(),
      destroy: () => resolve(),
    };
    app.handle(fakeRequest(cookie), outgoing as unknown as ServerResponse);
  });
}

async function inFlight(app: Flask, cookie: string | undefined, count: number): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let i = 0; i < count / concurrency; i++) await handleOnce(app, cookie, {});
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function cpuMicrosPerRequest(app: Flask, cookie: string | undefined): Promise<number> {
  await inFlight(app, cookie, requests / 5);
  const before = process.cpuUsage();
  await inFlight(app, cookie, requests);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

for (const variant of listSteps().flatMap(stepVariants)) {
  if (args.only && !args.only.some((o) => variant.label.includes(o))) continue;
  const built = await buildVariant(variant);
  const app = built.app;
  app.logger = { warn: () => {}, error: (m) => console.error(m) };
  const seen: { cookie?: string; status?: number } = {};
  await handleOnce(app, undefined, seen);
  // A refused request (a Host the demo does not trust, say) would be measured as if it were the workload.
  if (seen.status !== 200) throw new Error(`${variant.label}: GET /counter answered ${seen.status}, not 200`);
  const returning = await cpuMicrosPerRequest(app, seen.cookie);
  const fresh = await cpuMicrosPerRequest(app, undefined);
  console.log(
    `${variant.label}: returning visitor ${returning.toFixed(1)} µs CPU/request, new visitor ${fresh.toFixed(1)} µs CPU/request`,
  );
  await built.close();
}
