import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createRedisClient } from '../04-flask-session/stores/redis-store.ts';
import type { Peer } from './peers.ts';
import { deleteByPrefix } from '../tools/redis-keys.ts';
import { benchSecret } from '../tools/step-variants.ts';

const key = createHmac('sha256', 'cookie-session').update(benchSecret).digest();

function sign(payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

function asSession(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : {};
}

/** The yardstick's read: the `session` cookie's JSON if its HMAC is right, else an empty session. */
export function loadHandWritten(header: string | undefined): Record<string, unknown> {
  const raw = header
    ?.split(/;\s*/)
    .find((c) => c.startsWith('session='))
    ?.slice(8);
  const dot = raw?.lastIndexOf('.') ?? -1;
  if (!raw || dot < 0) return {};
  const payload = raw.slice(0, dot);
  const given = Buffer.from(raw.slice(dot + 1));
  const expected = Buffer.from(sign(payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return {};
  try {
    return asSession(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return {};
  }
}

/** The yardstick's write: base64url JSON, a dot, its HMAC. */
export function dumpHandWritten(data: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

/**
 * The least a signed-cookie session can be: no framework, no context, no timestamp; every
 * path but `/session` is the counter. The yardstick
 * for the steps' own cost: what is left between it and the ceiling is HMAC, JSON and base64.
 */
export function handWrittenHmacSession(): Peer {
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const data = loadHandWritten(req.headers.cookie);
    if (req.url === '/session')
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(data));
    const count = (Number.isSafeInteger(data.count) ? (data.count as number) : 0) + 1;
    data.count = count;
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Set-Cookie': `session=${dumpHandWritten(data)}; HttpOnly; Path=/; SameSite=Lax`,
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

/**
 * A sid in a cookie and the session's JSON wherever `read` and `write` keep it, on bare `node:http`:
 * the server-side yardsticks. `read` answers null for a sid it does not know.
 */
function sidSession(
  read: (sid: string) => Promise<string | null>,
  write: (sid: string, json: string) => Promise<void>,
): RequestListener {
  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = /(?:^|;\s*)sid=([A-Za-z0-9_-]{43})(?:;|$)/.exec(req.headers.cookie ?? '')?.[1];
    const sid = given ?? randomBytes(32).toString('base64url');
    const stored = given ? await read(sid) : null;
    let data: Record<string, unknown> = {};
    try {
      data = asSession(JSON.parse(stored ?? '{}'));
    } catch {} // junk in the store is a new session
    if (req.url === '/session')
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(data));
    const count = (Number.isSafeInteger(data.count) ? (data.count as number) : 0) + 1;
    data.count = count;
    await write(sid, JSON.stringify(data));
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Set-Cookie': `sid=${sid}; HttpOnly; Path=/; SameSite=Lax`,
      Vary: 'Cookie',
    });
    res.end(`${count}\n`);
  };
  return (req, res) => void respond(req, res).catch(() => res.writeHead(503).end());
}

/**
 * The least a server-side session on Redis can be: `GET`, add 1, `SET … EX`, with the client
 * step 04 uses and no framework. The yardstick for step 04's Redis row: what is left between them
 * is the framework and Flask-Session's format.
 */
export async function handWrittenRedisSession(redisUrl: string): Promise<Peer> {
  const client = createRedisClient(redisUrl);
  await client.connect();
  const prefix = `bench:hand:${randomUUID()}:`;
  // Sent raw, as step 04's store sends them.
  const read = async (sid: string): Promise<string | null> => {
    const value: unknown = await client.sendCommand(['GET', prefix + sid]);
    return value === null ? null : String(value);
  };
  const write = async (sid: string, json: string): Promise<void> =>
    void (await client.sendCommand(['SET', prefix + sid, json, 'EX', '86400']));
  return {
    listener: sidSession(read, write),
    close: async () => {
      await deleteByPrefix(client, prefix);
      client.destroy();
    },
  };
}

/** The label of the file yardstick in the scaling run. */
export const handWrittenFileLabel = 'hand-written file session (read, write, rename)';

/**
 * The file operations step 04's filesystem backend does per request, and nothing else: read the
 * visitor's file (named by the md5 of the sid), write a temp file, rename it over. The scaling
 * run's yardstick: where its curve goes, the filesystem goes, whatever the store does.
 */
export function handWrittenFileSession(dir: string): Peer {
  const pathOf = (sid: string): string => join(dir, createHash('md5').update(sid).digest('hex'));
  const read = (sid: string): Promise<string | null> =>
    readFile(pathOf(sid), 'utf8').catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? null : Promise.reject(error),
    );
  const write = async (sid: string, json: string): Promise<void> => {
    const temp = `${pathOf(sid)}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(temp, 'wx', 0o600);
    await file.writeFile(json).finally(() => file.close());
    await rename(temp, pathOf(sid));
  };
  return { listener: sidSession(read, write), close: async () => {} };
}
