import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flask } from './app.ts';

/**
 * A `node:http` server for the app; a request Node cannot even parse gets a plain 400, and one
 * that takes longer than `REQUEST_TIMEOUT_MS` to arrive a 408 (Node's own bound is 300 s).
 */
export function createAppServer(app: Flask): Server {
  const timeoutMs = app.config.REQUEST_TIMEOUT_MS;
  // Node looks for late requests every connectionsCheckingInterval (30 s by default), so check as often as the bound needs.
  const server = createServer(
    {
      requestTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      connectionsCheckingInterval: Math.min(timeoutMs, 1000),
    },
    app.handle,
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}

/** Listens on 127.0.0.1 and resolves with the port actually bound (PORT=0 picks a free one). */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** True in the module node was started with (`npx tsx src/01-raw-http/main.ts`), false when imported. */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/**
 * What every step's `main.ts` does: build the app from the environment, listen, print
 * `listening on http://127.0.0.1:<port>` first on stdout, and close cleanly on SIGINT/SIGTERM.
 */
export async function runMain(
  build: (env: NodeJS.ProcessEnv) => Flask | Promise<Flask>,
  onClose?: () => Promise<void>,
): Promise<void> {
  const { app, server, port } = await start(build).catch((error: unknown) => {
    // One line, the message only: a stack or an error's own properties (a URL's `input`) may hold a password.
    console.error(
      `error: ${error instanceof Error ? error.message : String(error)}`.replace(/\s*\n\s*/g, ' '),
    );
    return process.exit(1);
  });
  console.log(`listening on http://127.0.0.1:${port}`);
  // `SESSION_TYPE=redis npm start` is easy to type and would otherwise be ignored without a word.
  for (const name of Object.keys(process.env).filter((name) => Object.hasOwn(app.config, name))) {
    console.warn(
      `warning: ${name} is not read; configuration comes from FLASK_-prefixed variables: FLASK_${name}`,
    );
  }
  const stop = (): void => {
    server.close(() => void (onClose?.() ?? Promise.resolve()).finally(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function start(
  build: (env: NodeJS.ProcessEnv) => Flask | Promise<Flask>,
): Promise<{ app: Flask; server: Server; port: number }> {
  const app = await build(process.env);
  const server = createAppServer(app);
  return { app, server, port: await listen(server, Number(process.env.PORT ?? 5000)) };
}
