import type { AnyRedisClient } from '../04-flask-session/stores/redis-store.ts';
import { Waiters } from './local-leases.ts';
import type { LeaseLock } from './session-lock.ts';

/** The channel a release announces the freed key on, to every server process that listens. */
const releasedChannel = 'session-lock:released';

// #region redis-lock-scripts
// Deletes the key only if it still holds our token (a request whose lease ran out must not free
// the lease another has taken since), then tells the waiting processes which key is free.
const releaseScript =
  "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]); " +
  "redis.call('publish', ARGV[2], ARGV[3]); return 1 else return 0 end";
// The same check, then a new expiry: one script, so no other request can take the lease in between.
const renewScript =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
// #endregion redis-lock-scripts

/**
 * `SESSION_LOCK` on Redis: `SET key token NX PX lease`, released by its owner only. A release
 * publishes the key; this process listens on one connection of its own and wakes one of its
 * waiters for that key. A waiter costs three commands: the failed SET, one PTTL, the SET after
 * its wake-up (plus one PTTL and SET per `recheckMs`, if no message comes).
 */
export class RedisLeaseLock implements LeaseLock {
  readonly #client: AnyRedisClient;
  readonly #owned: boolean;
  readonly #recheckMs: number;
  readonly #waiters = new Waiters();
  #subscriber: AnyRedisClient | undefined;
  #subscribed: Promise<void> | undefined;

  constructor(redis: { client: AnyRedisClient; owned: boolean }, recheckMs = 1000) {
    this.#client = redis.client;
    this.#owned = redis.owned;
    this.#recheckMs = recheckMs;
  }

  async tryAcquire(key: string, token: string, leaseMs: number): Promise<boolean> {
    // Raw, as the store sends its commands (lesson 06: the typed methods cost as much again).
    return (
      (await this.#client.sendCommand(['SET', `${key}:lock`, token, 'NX', 'PX', String(leaseMs)])) !== null
    );
  }

  async renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    return (
      Number(
        await this.#client.sendCommand(['EVAL', renewScript, '1', `${key}:lock`, token, String(leaseMs)]),
      ) === 1
    );
  }

  async release(key: string, token: string): Promise<void> {
    await this.#client.sendCommand(['EVAL', releaseScript, '1', `${key}:lock`, token, releasedChannel, key]);
  }

  // #region redis-wait
  // Registered first, then one look at the lease: a release that came before the waiter was
  // listening shows as a missing key, and one after it arrives as a message.
  waitForRelease(key: string, maxMs: number): Promise<void> {
    const waiter = this.#waiters.add(key, Math.min(maxMs, this.#recheckMs));
    this.#subscribe()
      .then(() => this.#client.sendCommand(['PTTL', `${key}:lock`]))
      .then((ttl) => (Number(ttl) === -2 ? waiter.wake() : waiter.shorten(Number(ttl) + 1)))
      .catch(() => {}); // Redis is away: the waiter tries again within recheckMs and gets the error then
    return waiter.done;
  }
  // #endregion redis-wait

  // One subscriber connection per lock, opened at the first wait. node-redis subscribes again
  // after a reconnection; what was published meanwhile is lost, and the bounded waits cover it.
  #subscribe(): Promise<void> {
    this.#subscribed ??= (async () => {
      const subscriber = (this.#subscriber = this.#client.duplicate());
      subscriber.on('error', () => {}); // its commands fail; the waits are bounded anyway
      try {
        await subscriber.connect();
        await subscriber.subscribe(releasedChannel, (key: string) => this.#waiters.wakeOne(key));
      } catch (error) {
        this.#subscribed = undefined;
        this.#subscriber = undefined;
        closeQuietly(subscriber);
        throw error;
      }
    })();
    return this.#subscribed;
  }

  async close(): Promise<void> {
    if (this.#subscriber) closeQuietly(this.#subscriber);
    if (this.#owned) this.#client.destroy();
  }
}

function closeQuietly(client: AnyRedisClient): void {
  try {
    client.destroy();
  } catch {
    // already closed
  }
}
