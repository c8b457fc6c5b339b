import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildVariant, listSteps, stepVariants } from '../../src/tools/step-variants.ts';
import { CookieJar } from '../support/http.ts';
import { tcpAnswers } from '../support/probes.ts';
import { startOwnRedis } from '../support/own-redis.ts';
import { captureLogs, serve } from '../support/server.ts';
import { requireService } from '../support/services.ts';

const redisVariant = listSteps()
  .flatMap(stepVariants)
  .find((v) => v.label === '04 redis');
const writers = 4;
const recoveryBoundMs = 10_000;

/** Resolves once `check` holds, re-checking after every response the writers get. */
function when(check: () => boolean, onResponse: Array<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const listener = (): void => {
      if (!check()) return;
      onResponse.splice(onResponse.indexOf(listener), 1);
      resolve();
    };
    onResponse.push(listener);
  });
}

if (redisVariant) {
  test(
    'Redis killed in the middle of a load and restarted: 503s while it is down, service back within seconds, no acknowledged write lost',
    { timeout: 60_000 },
    async (t) => {
      if (!(await requireService(t, 'redis-server', 'apt-get install redis-server', () => tcpAnswers(6379))))
        return;
      const dir = await mkdtemp(join(tmpdir(), 'session-lab-redis-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const redis = await startOwnRedis(dir);
      const built = await buildVariant({
        ...redisVariant,
        config: { ...redisVariant.config, SESSION_REDIS: redis.url, SESSION_BACKEND_TIMEOUT_MS: 500 },
      });
      const logs = captureLogs(built.app);
      const server = await serve(built.app);
      t.after(async () => {
        await server.close();
        await built.close();
        await redis.kill();
      });

      const jars = Array.from({ length: writers }, () => new CookieJar());
      const acknowledged = new Array<number>(writers).fill(0);
      const statuses = { down: new Map<number, number>(), slowestDownMs: 0 };
      const listeners: Array<() => void> = [];
      const regressions: string[] = [];
      let phase: 'up' | 'down' | 'back' | 'done' = 'up';
      let okAfterRestart = 0;
      const writer = async (i: number): Promise<void> => {
        while (phase !== 'done') {
          const started = Date.now();
          const response = await jars[i]!.fetch(server.base, '/counter', { timeoutMs: 5_000 });
          if (response.status === 200) {
            // Counts only grow: a count that falls back means Redis lost a write it had acknowledged.
            if (Number(response.body) <= acknowledged[i]!)
              regressions.push(`writer ${i}: ${acknowledged[i]} then ${response.body.trim()}`);
            acknowledged[i] = Number(response.body);
          }
          if (phase === 'down') {
            statuses.down.set(response.status, (statuses.down.get(response.status) ?? 0) + 1);
            statuses.slowestDownMs = Math.max(statuses.slowestDownMs, Date.now() - started);
          }
          if (phase === 'back' && response.status === 200) okAfterRestart++;
          for (const listener of [...listeners]) listener();
        }
      };
      const running = Promise.all(jars.map((_, i) => writer(i)));

      await when(() => acknowledged.every((n) => n >= 20), listeners);
      phase = 'down';
      await redis.kill();
      await when(() => (statuses.down.get(503) ?? 0) >= 20, listeners);
      phase = 'back';
      const restartedAt = Date.now();
      await redis.start();
      await when(() => okAfterRestart >= writers * 5, listeners);
      const recoveryMs = Date.now() - restartedAt;
      const before = [...acknowledged];
      phase = 'done';
      await running;

      assert.deepEqual(
        [...statuses.down.keys()].filter((s) => s !== 503 && s !== 200),
        [],
        'while Redis is down every answer is a 503',
      );
      assert.ok(
        statuses.slowestDownMs < 5_000,
        `no request hangs while Redis is down (slowest: ${statuses.slowestDownMs} ms)`,
      );
      assert.ok(recoveryMs < recoveryBoundMs, `service is back ${recoveryMs} ms after Redis restarts`);
      assert.deepEqual(regressions, [], 'no acknowledged write was lost');
      for (const [i, jar] of jars.entries()) {
        const session = JSON.parse((await jar.fetch(server.base, '/session')).body) as { count?: number };
        assert.ok(
          (session.count ?? 0) >= before[i]!,
          `writer ${i}: acknowledged ${before[i]}, Redis has ${session.count}`,
        );
      }
      assert.ok(
        logs.errors.every((e) => !/^500/.test(e)),
        'no 500 was logged',
      );
    },
  );
}
