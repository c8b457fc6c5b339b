import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { backendUrls } from './backends.ts';
import { startOwnRedis } from './own-redis.ts';
import { tcpAnswers } from './probes.ts';
import { freePort, waitFor } from './spawn-step.ts';

/**
 * A backend whose connections to the app under test the test can cut, and only those: other
 * tests sharing the same server keep theirs.
 */
export interface DropTarget {
  /** The FLASK_ variables that point step 04 at it. */
  readonly env: Record<string, string>;
  /** Cuts every connection the app has to the backend; resolves with how many it cut. */
  drop(): Promise<number>;
  /** Brings the backend back when `drop` stopped it (memcached); nothing to do otherwise. */
  restore(): Promise<void>;
  /** Removes what the test created (tables, users, private servers). */
  close(): Promise<void>;
}

const tag = (): string => randomBytes(6).toString('hex');

/** PostgreSQL: the app connects with an `application_name` of its own, and only those backends are terminated. */
export async function postgresDrops(): Promise<DropTarget> {
  const name = `session-lab-drop-${tag()}`;
  const table = `drop_${tag()}`;
  const admin = new pg.Client({ connectionString: backendUrls.postgres });
  admin.on('error', () => {});
  await admin.connect();
  const url = new URL(backendUrls.postgres);
  url.searchParams.set('application_name', name);
  return {
    env: {
      FLASK_SESSION_TYPE: 'sqlalchemy',
      FLASK_SESSION_SQLALCHEMY: url.href,
      FLASK_SESSION_SQLALCHEMY_TABLE: table,
    },
    drop: async () =>
      (
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [name],
        )
      ).rowCount ?? 0,
    restore: async () => {},
    close: async () => {
      await admin.query(`drop table if exists ${table}_locks, ${table}`);
      await admin.end();
    },
  };
}

/** MariaDB: the app logs in as a user made for this test, and only that user's connections are killed. */
export async function mariadbDrops(): Promise<DropTarget> {
  const user = `sl_drop_${tag()}`;
  const table = `drop_${tag()}`;
  const admin = await mysql.createConnection({ uri: backendUrls.mysql });
  const database = new URL(backendUrls.mysql).pathname.slice(1) || 'test';
  await admin.query("CREATE USER ?@'%'", [user]);
  await admin.query(`GRANT ALL PRIVILEGES ON ${database}.* TO ?@'%'`, [user]);
  const url = new URL(backendUrls.mysql);
  url.username = user;
  url.password = '';
  return {
    env: {
      FLASK_SESSION_TYPE: 'sqlalchemy',
      FLASK_SESSION_SQLALCHEMY: url.href,
      FLASK_SESSION_SQLALCHEMY_TABLE: table,
    },
    drop: async () => {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        'SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?',
        [user],
      );
      let killed = 0;
      for (const { ID } of rows) {
        // A connection may end by itself between the SELECT and the KILL.
        killed += await admin.query(`KILL CONNECTION ${Number(ID)}`).then(
          () => 1,
          () => 0,
        );
      }
      return killed;
    },
    restore: async () => {},
    close: async () => {
      await admin.query(`DROP TABLE IF EXISTS ${table}_locks, ${table}`);
      await admin.query("DROP USER IF EXISTS ?@'%'", [user]);
      await admin.end();
    },
  };
}

/** Redis: a redis-server of the test's own; every client connection but the test's is killed. */
export async function redisDrops(): Promise<DropTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'session-lab-drop-redis-'));
  const redis = await startOwnRedis(dir);
  const admin = createClient({ url: redis.url });
  admin.on('error', () => {});
  await admin.connect();
  return {
    env: { FLASK_SESSION_TYPE: 'redis', FLASK_SESSION_REDIS: redis.url },
    drop: async () => Number(await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'])),
    restore: async () => {},
    close: async () => {
      admin.destroy();
      await redis.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** True when a memcached binary is installed (the private server needs one). */
export function memcachedInstalled(): boolean {
  return spawnSync('memcached', ['-V']).status === 0;
}

/** memcached: a private memcached on a free port, killed (SIGKILL) and started again on the same port. */
export async function memcachedDrops(): Promise<DropTarget> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    // memcached refuses to run as root unless told which user to be.
    const user = process.getuid?.() === 0 ? ['-u', 'root'] : [];
    child = spawn('memcached', [...user, '-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16'], {
      stdio: 'ignore',
    });
    const started = child;
    await waitFor(
      `memcached on port ${port}`,
      async () => {
        if (started.exitCode !== null) throw new Error(`memcached exited with ${started.exitCode}`);
        return tcpAnswers(port);
      },
      30_000,
    );
  };
  const stop = async (): Promise<number> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return 0;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
    return 1;
  };
  await start();
  return {
    env: { FLASK_SESSION_TYPE: 'memcached', FLASK_SESSION_MEMCACHED: `127.0.0.1:${port}` },
    drop: stop,
    restore: start,
    close: async () => void (await stop()),
  };
}

/**
 * MongoDB (only where MONGODB_URL is set): the app talks to it through a TCP proxy of the test's
 * own, whose sockets the test destroys. `directConnection` keeps the driver on the proxy.
 */
export async function mongodbDrops(mongoUrl: string): Promise<DropTarget> {
  const target = new URL(mongoUrl);
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(target.port) || 27017, target.hostname);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(mongoUrl);
  proxied.host = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
  proxied.searchParams.set('directConnection', 'true');
  const collection = `drop_${tag()}`;
  return {
    env: {
      FLASK_SESSION_TYPE: 'mongodb',
      FLASK_SESSION_MONGODB: proxied.href,
      FLASK_SESSION_MONGODB_COLLECT: collection,
    },
    drop: async () => {
      const count = sockets.size / 2;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    restore: async () => {},
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
      const client = new MongoClient(mongoUrl);
      try {
        await client
          .db('flask_session')
          .collection(collection)
          .drop()
          .catch(() => {});
      } finally {
        await client.close();
      }
    },
  };
}
