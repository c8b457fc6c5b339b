import type { AnyRedisClient } from '../04-flask-session/stores/redis-store.ts';
import { LocalLeases } from './local-leases.ts';
import type { LeaseLock } from './session-lock.ts';

// #region redis-lock
// Deletes the key only if it still holds our token: a request whose lease ran out must not
// free the lease another request has taken since (the Redis docs' single-instance lock).
const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
// The same check, then a new expiry: one script, so no other request can take the lease in between.
const renewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** `SESSION_LOCK` on Redis: `SET key token NX PX lease`, released by its owner only. */
export class RedisLeaseLock implements LeaseLock {
  readonly #client: AnyRedisClient;
  readonly #owned: boolean;
  readonly #pollMs: number;
  readonly #local = new LocalLeases();

  constructor(redis: { client: AnyRedisClient; owned: boolean }, pollMs = 2) {
    this.#client = redis.client;
    this.#owned = redis.owned;
    this.#pollMs = pollMs;
  }

  async tryAcquire(key: string, token: string, leaseMs: number): Promise<boolean> {
    // Raw, as the store sends its commands (lesson 06: the typed methods cost as much again).
    const acquired = (await this.#client.sendCommand(['SET', `${key}:lock`, token, 'NX', 'PX', String(leaseMs)])) !== null;
    if (acquired) this.#local.hold(key, token, leaseMs);
    return acquired;
  }

  async renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    const renewed = Number(await this.#client.sendCommand(['EVAL', renewScript, '1', `${key}:lock`, token, String(leaseMs)])) === 1;
    if (renewed) this.#local.hold(key, token, leaseMs);
    return renewed;
  }

  async release(key: string, token: string): Promise<void> {
    try {
      await this.#client.sendCommand(['EVAL', releaseScript, '1', `${key}:lock`, token]);
    } finally {
      this.#local.release(key, token); // if Redis is gone, the lease there runs out by itself
    }
  }

  // Redis tells nobody when a key goes away (short of keyspace notifications): a lease held in
  // this process is waited for here; one held by another process is asked for again soon.
  waitForRelease(key: string, maxMs: number): Promise<void> {
    return this.#local.wait(key, maxMs, this.#pollMs);
  }

  async close(): Promise<void> {
    if (this.#owned) this.#client.destroy();
  }
}
// #endregion redis-lock
