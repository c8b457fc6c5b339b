import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTarget } from './targets.ts';

// The server under test, in a process of its own: started by the bench with IPC, it reports
// its port (or why it could not start) and serves until told to stop.
const id = process.argv[2] ?? '';
const rootPath = process.argv[3] || undefined;
const config = JSON.parse(process.argv[4] || '{}') as Record<string, unknown>;
try {
  const peer = await buildTarget(id, rootPath, config);
  const server = createServer(peer.listener);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send?.({ port: (server.address() as AddressInfo).port });
  process.on('message', (message) => {
    // The bench reads the server's own CPU time around each measurement: CPU per request is
    // steadier than requests per second on a busy machine.
    if (message === 'cpu') return void process.send?.({ cpuMicros: cpuMicros() });
    if (message !== 'stop') return;
    server.close();
    server.closeAllConnections();
    void peer.close().finally(() => process.exit(0));
  });
} catch (error) {
  process.send?.({ failed: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
