import type { Server } from 'node:http';
import type { TestContext } from 'node:test';
import type { Flask } from '../../src/01-raw-http/app.ts';
import { createAppServer, listen } from '../../src/01-raw-http/serve.ts';

/** A running test server: its base URL and a close that drops every connection. */
export interface RunningServer {
  base: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1, port 0; closed automatically when the test `t` ends, if given. */
export async function serve(app: Flask, t?: TestContext): Promise<RunningServer> {
  const server = createAppServer(app);
  const port = await listen(server, 0);
  const running: RunningServer = {
    base: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  t?.after(() => running.close());
  return running;
}

/** Collects what the app logs, so tests stay quiet and can assert on warnings and errors. */
export function captureLogs(app: Flask): { warnings: string[]; errors: string[] } {
  const logs = { warnings: [] as string[], errors: [] as string[] };
  app.logger = { warn: (m) => logs.warnings.push(m), error: (m) => logs.errors.push(m) };
  return logs;
}
