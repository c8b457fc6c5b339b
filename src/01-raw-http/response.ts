import { cookieSizeWarning, dumpCookie, type CookieOptions } from './cookies.ts';

/**
 * What the app sends back, after Werkzeug's `Response`: a status, headers that may repeat
 * (several `Set-Cookie`), a body, and the cookie helpers Flask's session interfaces call.
 */
export class Response {
  status: number;
  body: string | Buffer;
  /** Keyed by lower-case name; each entry keeps the name as first written, for the wire. */
  readonly headers = new Map<string, { name: string; values: string[] }>();
  /** Cookie size warnings raised while building this response (Werkzeug's `UserWarning`). */
  readonly warnings: string[] = [];

  constructor(
    body: string | Buffer = '',
    init: { status?: number; headers?: Record<string, string>; mimetype?: string } = {},
  ) {
    this.body = body;
    this.status = init.status ?? 200;
    this.setHeader('Content-Type', init.mimetype ?? 'text/html; charset=utf-8');
    for (const [name, value] of Object.entries(init.headers ?? {})) this.setHeader(name, value);
  }

  /** A JSON response, the way Flask's `jsonify` answers. */
  static json(value: unknown, status = 200): Response {
    return new Response(`${JSON.stringify(value, bigintAsDigits)}\n`, {
      status,
      mimetype: 'application/json',
    });
  }

  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.values.join(', ');
  }

  getHeaders(name: string): string[] {
    return [...(this.headers.get(name.toLowerCase())?.values ?? [])];
  }

  setHeader(name: string, value: string): void {
    this.headers.set(name.toLowerCase(), { name, values: [value] });
  }

  addHeader(name: string, value: string): void {
    const entry = this.headers.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else this.setHeader(name, value);
  }

  /** Adds a field to `Vary` once, like Werkzeug's `response.vary.add`. */
  addVary(field: string): void {
    const current = (this.getHeader('vary') ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (current.some((v) => v.toLowerCase() === field.toLowerCase())) return;
    this.setHeader('Vary', [...current, field].join(', '));
  }

  /** Appends one Set-Cookie header (Path defaults to `/`, as in Werkzeug); over `maxSize` bytes it is sent but warned about. */
  setCookie(name: string, value = '', options: CookieOptions & { maxSize?: number } = {}): void {
    // Object.assign, not `{ ...options, path }`: on Node 20 a spread followed by a property builds
    // a slow object, and this runs on every response that sets a cookie (lesson 06 measures it).
    const header = dumpCookie(name, value, Object.assign({}, options, { path: options.path ?? '/' }));
    const warning = cookieSizeWarning(name, header, options.maxSize);
    if (warning) this.warnings.push(warning);
    this.addHeader('Set-Cookie', header);
  }

  /** Tells the browser to drop a cookie: empty value, Expires in 1970, Max-Age=0. */
  deleteCookie(name: string, options: Omit<CookieOptions, 'expires' | 'maxAgeSeconds'> = {}): void {
    this.setCookie(name, '', Object.assign({}, options, { expires: 0, maxAgeSeconds: 0 }));
  }
}

/**
 * A `JSON.stringify` replacer: a bigint (a big integer from a Flask cookie or a Python-written
 * session) goes out as its digits in a string, since `JSON.stringify` cannot write it as a number.
 */
export function bigintAsDigits(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
