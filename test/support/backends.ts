import type { TestContext } from 'node:test';
import { tcpAnswers } from '../../src/bench/services.ts';
import { requireService } from './services.ts';

/** Where the test servers are; each can be moved with an environment variable. */
export const backendUrls = {
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
  memcached: process.env.MEMCACHED_SERVERS ?? '127.0.0.1:11211',
  postgres: process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
  mongodb: process.env.MONGODB_URL,
};

function hostPort(url: string, defaultPort: number): [string, number] {
  const parsed = new URL(url.includes('://') ? url : `tcp://${url.split(',')[0]}`);
  return [parsed.hostname || '127.0.0.1', Number(parsed.port) || defaultPort];
}

/** How each backend's test server is started, for the one-line skip message. */
const services = {
  redis: ['Redis', 'start redis-server on 127.0.0.1:6379 or set REDIS_URL', backendUrls.redis, 6379],
  memcached: ['memcached', 'run bash .ci/services/memcached.sh or set MEMCACHED_SERVERS', backendUrls.memcached, 11211],
  postgres: ['PostgreSQL', 'start PostgreSQL (trust auth, database test) or set POSTGRES_URL', backendUrls.postgres, 5432],
  mysql: ['MariaDB/MySQL', 'start MariaDB (root without password, database test) or set MYSQL_URL', backendUrls.mysql, 3306],
} as const;

/** Guards a test on one backend server: required under CI=true, skipped with one line elsewhere. */
export function requireBackend(t: TestContext, backend: keyof typeof services): Promise<boolean> {
  const [what, howToStart, url, port] = services[backend];
  return requireService(t, what, howToStart, () => {
    const [host, at] = hostPort(url, port);
    return tcpAnswers(at, host);
  });
}

/** MongoDB runs only where MONGODB_URL is set (there is no server here), in CI too. */
export function requireMongo(t: TestContext): string | undefined {
  if (!backendUrls.mongodb) t.skip('MongoDB not run: set MONGODB_URL=mongodb://… to run these tests');
  return backendUrls.mongodb;
}

// The names the bench gives the services its step variants need, mapped to the guards above.
const variantBackends = { redis: 'redis', memcached: 'memcached', postgresql: 'postgres', mariadb: 'mysql' } as const;

/** Guards a test of one bench step variant with the same rules as every other server-backed test. */
export async function requireVariantService(t: TestContext, variant: { needs?: string | undefined }): Promise<boolean> {
  if (!variant.needs) return true;
  if (variant.needs === 'mongodb') return Boolean(requireMongo(t));
  const backend = variantBackends[variant.needs as keyof typeof variantBackends];
  if (!backend) throw new Error(`no test guard for the service ${JSON.stringify(variant.needs)}`);
  return requireBackend(t, backend);
}
