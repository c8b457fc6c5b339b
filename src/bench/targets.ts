import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import {
  handWrittenFileLabel,
  handWrittenFileSession,
  handWrittenHmacSession,
  handWrittenRedisSession,
  helloInAsyncContext,
} from './hand-written.ts';
import {
  cookieSessionPeer,
  expressSessionMemory,
  expressSessionRedis,
  rawHello,
  type Peer,
} from './peers.ts';
import { services, type ServiceName } from '../tools/services.ts';
import { buildVariant, listSteps, type StepVariant, stepVariants } from '../tools/step-variants.ts';

/** One row of the table: an id the target child understands, a label, and what it needs. */
export interface TargetSpec {
  readonly id: string;
  readonly label: string;
  readonly group: 'ceiling' | 'step' | 'peer';
  readonly needs?: ServiceName;
}

/** Every target: the raw ceiling, each step variant, then the peers. */
export function listTargets(): TargetSpec[] {
  const steps = listSteps().flatMap((step) =>
    stepVariants(step).map((v) => ({
      id: `step:${step}:${v.label}`,
      label: v.label,
      group: 'step' as const,
      ...(v.needs ? { needs: v.needs } : {}),
    })),
  );
  return [
    { id: 'raw', label: 'raw node:http hello world', group: 'ceiling' },
    {
      id: 'hand:async-context',
      label: 'hello world inside AsyncLocalStorage.run (8 awaits)',
      group: 'ceiling',
    },
    { id: 'hand:hmac-cookie', label: 'hand-written HMAC cookie session on node:http', group: 'peer' },
    ...steps,
    { id: 'hand:redis', label: 'hand-written Redis session on node:http', group: 'peer', needs: 'redis' },
    { id: 'peer:express-session-memory', label: 'express-session + MemoryStore', group: 'peer' },
    {
      id: 'peer:express-session-redis',
      label: 'express-session + connect-redis',
      group: 'peer',
      needs: 'redis',
    },
    { id: 'peer:cookie-session', label: 'cookie-session', group: 'peer' },
  ];
}

/** Builds the request listener of a target, in the process that will serve it. */
export async function buildTarget(
  id: string,
  rootPath?: string,
  config: Record<string, unknown> = {},
): Promise<Peer> {
  if (id === 'raw') return rawHello();
  if (id === 'hand:hmac-cookie') return handWrittenHmacSession();
  if (id === 'hand:async-context') return helloInAsyncContext();
  if (id === 'hand:redis') return handWrittenRedisSession(services.redis.url);
  if (id === `scale:${handWrittenFileLabel}`)
    return handWrittenFileSession(join(rootPath ?? '.', 'flask_session'));
  if (id === 'peer:express-session-memory') return expressSessionMemory();
  if (id === 'peer:express-session-redis') return expressSessionRedis(services.redis.url);
  if (id === 'peer:cookie-session') return cookieSessionPeer();
  const found = findVariant(id);
  const built = await buildVariant({ ...found, config: { ...found.config, ...config } }, rootPath);
  built.app.logger = { warn: () => {}, error: (m) => console.error(m) };
  return { listener: built.app.handle as RequestListener, close: built.close };
}

// `step:<folder>:<label>` for the table, `scale:<label>` for the scaling run (its root is given).
function findVariant(id: string): StepVariant {
  const [kind = '', ...rest] = id.split(':');
  const label = kind === 'step' ? rest.slice(1).join(':') : rest.join(':');
  const variant = listSteps()
    .flatMap(stepVariants)
    .find((v) => v.label === label);
  if ((kind !== 'step' && kind !== 'scale') || !variant)
    throw new Error(`unknown bench target ${JSON.stringify(id)}`);
  return kind === 'scale' ? { ...variant, config: { ...variant.config, ...variant.scalingConfig } } : variant;
}
