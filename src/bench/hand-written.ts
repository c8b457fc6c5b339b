import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Peer } from './peers.ts';
import { benchSecret } from './steps.ts';

const key = createHmac('sha256', 'cookie-session').update(benchSecret).digest();

function sign(payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

function load(header: string | undefined): Record<string, unknown> {
  const raw = header?.split(/;\s*/).find((c) => c.startsWith('session='))?.slice(8);
  const dot = raw?.lastIndexOf('.') ?? -1;
  if (!raw || dot < 0) return {};
  const payload = raw.slice(0, dot);
  const given = Buffer.from(raw.slice(dot + 1));
  const expected = Buffer.from(sign(payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return {};
  try {
    const data: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The least a signed-cookie session can be: no framework, no context, no timestamp; every
 * path but `/session` is the counter. The yardstick
 * for the steps' own cost: what is left between it and the ceiling is HMAC, JSON and base64.
 */
export function handWrittenHmacSession(): Peer {
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const data = load(req.headers.cookie);
    if (req.url === '/session') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(data));
    const count = (Number.isSafeInteger(data.count) ? (data.count as number) : 0) + 1;
    data.count = count;
    const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Set-Cookie': `session=${payload}.${sign(payload)}; HttpOnly; Path=/; SameSite=Lax`,
      Vary: 'Cookie',
    });
    res.end(`${count}\n`);
  };
  return { listener, close: async () => {} };
}

/**
 * The ceiling plus one `AsyncLocalStorage.run` and a few awaits per request: what Flask-style
 * context locals (`request`, `session` as globals) cost on Node 20, where enabling an
 * AsyncLocalStorage installs hooks that run for every promise and async resource in the process.
 */
export function helloInAsyncContext(): Peer {
  const storage = new AsyncLocalStorage<{ url: string | undefined }>();
  const step = async (): Promise<void> => {};
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void storage.run({ url: req.url }, async () => {
      for (let i = 0; i < 8; i++) await step();
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('hello\n');
    });
  };
  return { listener, close: async () => {} };
}
