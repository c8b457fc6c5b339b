import * as http from 'node:http';

/** A response as a test sees it: status, every header (repeats kept), body text. */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  setCookies: string[];
  body: string;
}

/** Options for one test request. `headers` are sent exactly as given (raw Cookie headers included). */
export interface TestRequestOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Abort after this many milliseconds (a test's safety net, not a timing assertion). */
  timeoutMs?: number;
}

/** Sends one request to `base` (http://127.0.0.1:port) with no agent, so no socket outlives it. */
export function fetchRaw(
  base: string,
  path: string,
  options: TestRequestOptions = {},
): Promise<TestResponse> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookies: res.headers['set-cookie'] ?? [],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${url.href} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `name=value` part of the first Set-Cookie for `name`, ready to send back as a Cookie header. */
export function cookieFrom(response: TestResponse, name = 'session'): string | undefined {
  const header = response.setCookies.find((h) => h.startsWith(`${name}=`));
  return header?.split(';')[0];
}

/** A tiny cookie jar: remembers Set-Cookie values (and deletions) across requests, like curl -c/-b. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  update(response: TestResponse): void {
    for (const header of response.setCookies) {
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(header) || /Expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ') };
  }

  async fetch(base: string, path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    const response = await fetchRaw(base, path, {
      ...options,
      headers: { ...this.header(), ...options.headers },
    });
    this.update(response);
    return response;
  }
}
