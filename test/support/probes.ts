import type { TestContext } from 'node:test';
import { services } from '../../src/bench/services.ts';
import { requireService } from './services.ts';

export { services, tcpAnswers } from '../../src/bench/services.ts';

/**
 * Guards a test of one step variant: true when the service it needs (if any) is there. A missing
 * required service fails under CI=true; an optional one (MongoDB) is skipped everywhere.
 */
export async function requireVariantService(t: TestContext, variant: { needs?: string | undefined }): Promise<boolean> {
  const service = variant.needs ? services[variant.needs] : undefined;
  if (!service) return true;
  if (service.optional && !(await service.probe())) {
    t.skip(`${variant.needs} not run: ${service.howToStart}`);
    return false;
  }
  return requireService(t, variant.needs!, service.howToStart, service.probe);
}

/** Runs `work` over `items`, at most `limit` at a time, and resolves with the results in order. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
