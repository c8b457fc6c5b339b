import { connect } from 'node:net';
import { defaultBackends } from '../04-flask-session/config.ts';

/** One server the bench's rows and the server-backed tests use. */
interface Service {
  readonly name: string;
  /** Where it is: a URL (`host:port` for memcached), or undefined when there is none to reach. */
  readonly url: string | undefined;
  readonly defaultPort: number;
  readonly howToStart: string;
}

/**
 * The servers, each movable by an environment variable: the one table the bench and the tests read,
 * so a row and a test of one backend always talk to the same server.
 */
export const services = {
  redis: {
    name: 'Redis',
    url: process.env.REDIS_URL ?? defaultBackends.SESSION_REDIS,
    defaultPort: 6379,
    howToStart: 'start redis-server on 127.0.0.1:6379 or set REDIS_URL',
  },
  memcached: {
    name: 'memcached',
    url: process.env.MEMCACHED_SERVERS ?? defaultBackends.SESSION_MEMCACHED,
    defaultPort: 11211,
    howToStart: 'run bash .ci/services/memcached.sh or set MEMCACHED_SERVERS',
  },
  postgres: {
    name: 'PostgreSQL',
    url: process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    defaultPort: 5432,
    howToStart: 'start PostgreSQL (trust auth, database test) or set POSTGRES_URL',
  },
  mysql: {
    name: 'MariaDB/MySQL',
    url: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
    defaultPort: 3306,
    howToStart: 'start MariaDB (root without password, database test) or set MYSQL_URL',
  },
  mongodb: {
    name: 'MongoDB',
    url: process.env.MONGODB_URL,
    defaultPort: 27017,
    howToStart: 'set MONGODB_URL to a MongoDB server',
  },
} as const satisfies Record<string, Service>;

/** One of the servers of `services`. */
export type ServiceName = keyof typeof services;

/** Resolves true when the service accepts a TCP connection; MongoDB when MONGODB_URL names one (none here otherwise). */
export function serviceAnswers(name: ServiceName): Promise<boolean> {
  const { url, defaultPort } = services[name] as Service;
  if (url === undefined || name === 'mongodb') return Promise.resolve(url !== undefined);
  const parsed = new URL(url.includes('://') ? url : `tcp://${url.split(',')[0]}`);
  return tcpAnswers(Number(parsed.port) || defaultPort, parsed.hostname || '127.0.0.1');
}

/** Resolves true when something accepts a TCP connection on `host`:`port` within a second. */
export function tcpAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
