import type { TestContext } from 'node:test';
import { serviceAnswers, services, type ServiceName } from '../../src/tools/services.ts';
import { requireService } from './services.ts';

/** Where the test servers are: the bench's table, so a test and a bench row of one backend meet the same server. */
export const backendUrls = {
  redis: services.redis.url,
  memcached: services.memcached.url,
  postgres: services.postgres.url,
  mysql: services.mysql.url,
  mongodb: services.mongodb.url,
};

/** Guards a test on one backend server: required under CI=true, skipped with one line elsewhere. */
export function requireBackend(t: TestContext, backend: Exclude<ServiceName, 'mongodb'>): Promise<boolean> {
  return requireService(t, services[backend].name, services[backend].howToStart, () =>
    serviceAnswers(backend),
  );
}

/** MongoDB runs only where MONGODB_URL is set (there is no server here), in CI too. */
export function requireMongo(t: TestContext): string | undefined {
  if (!backendUrls.mongodb) t.skip('MongoDB not run: set MONGODB_URL=mongodb://… to run these tests');
  return backendUrls.mongodb;
}

/** Guards a test of one step variant with the same rules as every other server-backed test. */
export async function requireVariantService(
  t: TestContext,
  variant: { needs?: ServiceName | undefined },
): Promise<boolean> {
  if (!variant.needs) return true;
  if (variant.needs === 'mongodb') return Boolean(requireMongo(t));
  return requireBackend(t, variant.needs);
}
