import { connect } from 'node:net';

/** Resolves true when something accepts a TCP connection on 127.0.0.1:`port` within a second. */
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

/** How to tell whether a service a step variant needs is there, and how to start it. */
export const services: Record<string, { probe: () => Promise<boolean>; howToStart: string }> = {
  redis: { probe: () => tcpAnswers(Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379)), howToStart: 'start redis-server on 127.0.0.1:6379' },
  memcached: { probe: () => tcpAnswers(11211), howToStart: 'start memcached on 127.0.0.1:11211' },
  postgresql: { probe: () => tcpAnswers(5432), howToStart: 'start PostgreSQL on 127.0.0.1:5432' },
  mariadb: { probe: () => tcpAnswers(3306), howToStart: 'start MariaDB on 127.0.0.1:3306' },
  mongodb: { probe: async () => Boolean(process.env.MONGODB_URL), howToStart: 'set MONGODB_URL to a MongoDB server' },
};
