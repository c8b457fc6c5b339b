import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import cookieSession from 'cookie-session';
import { RedisStore } from 'connect-redis';
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { deleteByPrefix } from '../tools/redis-keys.ts';
import { benchSecret } from '../tools/step-variants.ts';

declare module 'express-session' {
  interface SessionData {
    count: number;
  }
}

/** A running peer: its request listener and how to clean up after it. */
export interface Peer {
  readonly listener: RequestListener;
  close(): Promise<void>;
}

/** The ceiling: the least a `node:http` server can do per request. */
export function rawHello(): Peer {
  return {
    listener: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('hello\n');
    },
    close: async () => {},
  };
}

// The same workload as every step's GET /counter: load the session, add 1 to count, save.
function counter(req: Request, res: Response): void {
  const stored = req.session?.count;
  const count = (Number.isSafeInteger(stored) ? (stored as number) : 0) + 1;
  req.session!.count = count;
  res.type('text/plain').send(`${count}\n`);
}

function expressApp(middleware: express.RequestHandler): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(middleware);
  app.get('/counter', counter);
  app.get('/session', (req, res) => void res.json(req.session ?? {}));
  return app;
}

/** express-session with its default MemoryStore (resave and saveUninitialized off, as its README advises). */
export function expressSessionMemory(): Peer {
  const app = expressApp(session({ secret: benchSecret, resave: false, saveUninitialized: false }));
  return { listener: app, close: async () => {} };
}

/** express-session with connect-redis on `redisUrl`, under a key prefix of its own that is removed on close. */
export async function expressSessionRedis(redisUrl: string): Promise<Peer> {
  const client = createClient({ url: redisUrl });
  client.on('error', () => {});
  await client.connect();
  const prefix = `bench:express:${randomUUID()}:`;
  const store = new RedisStore({ client, prefix });
  const app = expressApp(session({ secret: benchSecret, resave: false, saveUninitialized: false, store }));
  return {
    listener: app,
    close: async () => {
      await deleteByPrefix(client, prefix);
      await client.quit();
    },
  };
}

/** cookie-session: the whole session in a signed cookie (Keygrip, a second `.sig` cookie). */
export function cookieSessionPeer(): Peer {
  const app = expressApp(cookieSession({ name: 'session', keys: [benchSecret] }) as express.RequestHandler);
  return { listener: app, close: async () => {} };
}
