import { request } from 'node:http';

/** The two workloads: a returning visitor sends one valid session cookie; a new one sends none. */
export type Workload = 'returning' | 'fresh';

/** Makes one GET /counter without a cookie and returns the Cookie header a returning visitor sends. */
export function returningCookie(base: string, path = '/counter'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        const pairs = (res.headers['set-cookie'] ?? []).map((header) => header.split(';')[0]!);
        if (res.statusCode !== 200 || pairs.length === 0)
          reject(new Error(`GET ${path} gave ${res.statusCode} and ${pairs.length} cookies`));
        else resolve(pairs.join('; '));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
