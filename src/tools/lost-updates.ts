import { request } from 'node:http';

/** How many concurrent requests of one session the lost-update measurement sends. */
export const concurrentRequests = 50;

interface Reply {
  status: number;
  body: string;
  setCookies: string[];
}

function get(base: string, path: string, cookie: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { agent: false, headers: cookie ? { cookie } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, setCookies: res.headers['set-cookie'] ?? [] }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

// A browser's jar in a few lines: the Set-Cookie that arrives last wins.
function applyCookies(jar: Map<string, string>, reply: Reply): void {
  for (const header of reply.setCookies) {
    const pair = header.split(';')[0]!;
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

const cookieHeader = (jar: Map<string, string>): string => [...jar].map(([n, v]) => `${n}=${v}`).join('; ');

/**
 * One visitor, `count` = 1, then 50 concurrent `GET /counter` with that cookie, each adding 1.
 * Returns how many of the 50 increments the visitor's next request still sees.
 */
export async function keptIncrements(base: string): Promise<{ kept: number; failed: number }> {
  const jar = new Map<string, string>();
  applyCookies(jar, await get(base, '/counter', ''));
  const cookie = cookieHeader(jar);
  const replies = await Promise.all(
    Array.from({ length: concurrentRequests }, () =>
      get(base, '/counter', cookie).then((reply) => (applyCookies(jar, reply), reply)),
    ),
  );
  const session = JSON.parse((await get(base, '/session', cookieHeader(jar))).body) as { count?: number };
  return { kept: (session.count ?? 1) - 1, failed: replies.filter((r) => r.status !== 200).length };
}
