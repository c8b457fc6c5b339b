import { MethodNotAllowed, NotFound, RequestRedirect } from './http-errors.ts';

/** Values captured from the path by `<name>` and `<path:name>` placeholders. */
export type RouteParams = Record<string, string>;

/** One URL rule, like Werkzeug's `Rule`: a path pattern, its methods and its handler. */
export interface Rule<H> {
  readonly rule: string;
  readonly methods: ReadonlySet<string>;
  readonly handler: H;
  readonly pattern: RegExp;
}

/** The outcome of matching a request: a handler with its params. */
export interface Match<H> {
  readonly handler: H;
  readonly params: RouteParams;
}

/** A tiny `werkzeug.routing.Map`: exact rules, two converters, Flask's trailing-slash rule. */
export class Router<H> {
  readonly #rules: Rule<H>[] = [];

  add(rule: string, methods: readonly string[], handler: H): void {
    if (!rule.startsWith('/'))
      throw new TypeError(`URL rule ${JSON.stringify(rule)} must start with a slash`);
    const upper = new Set(methods.map((m) => m.toUpperCase()));
    if (upper.has('GET')) upper.add('HEAD');
    this.#rules.push({ rule, methods: upper, handler, pattern: compile(rule) });
  }

  /** The rule for `method path`; throws 404, 405 or a 308 redirect like Werkzeug's `MapAdapter.match`. */
  match(method: string, path: string, query = ''): Match<H> {
    let allowed: Set<string> | undefined;
    for (const rule of this.#rules) {
      const found = rule.pattern.exec(path);
      if (!found) continue;
      if (method !== 'OPTIONS' && !rule.methods.has(method)) {
        allowed ??= new Set();
        for (const m of rule.methods) allowed.add(m);
        continue;
      }
      return { handler: rule.handler, params: { ...found.groups } };
    }
    // Only when nothing matched as sent: `/test1/` is canonical, so `/test1` is redirected to it.
    const slashed = this.#rules.find(
      (rule) =>
        rule.rule.endsWith('/') &&
        (method === 'OPTIONS' || rule.methods.has(method)) &&
        rule.pattern.test(`${path}/`),
    );
    if (slashed) throw new RequestRedirect(`${quotePath(`${path}/`)}${query ? `?${query}` : ''}`);
    if (allowed) throw new MethodNotAllowed([...allowed, 'OPTIONS'].sort());
    throw new NotFound();
  }

  /** Methods a path accepts, for the automatic OPTIONS answer. */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>(['OPTIONS']);
    for (const rule of this.#rules) if (rule.pattern.test(path)) for (const m of rule.methods) methods.add(m);
    return [...methods].sort();
  }
}

/**
 * Werkzeug's `url_quote(path, safe="/:|+")`: the decoded path percent-encoded again for a
 * Location header. Sent decoded, `/%5Cevil.example` would become `/\evil.example/`, which a
 * browser follows to another host, and a non-Latin-1 character could not be sent at all.
 */
function quotePath(path: string): string {
  return encodeURIComponent(path).replace(/%(?:24|2B|2C|3B|2F|3A|7C)/g, (escaped) =>
    decodeURIComponent(escaped),
  );
}

function compile(rule: string): RegExp {
  const source = rule
    .split(/(<(?:path:)?[A-Za-z_][A-Za-z0-9_]*>)/)
    .map((part) => {
      const placeholder = /^<(path:)?([A-Za-z_][A-Za-z0-9_]*)>$/.exec(part);
      if (!placeholder) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return placeholder[1] ? `(?<${placeholder[2]}>[^]+?)` : `(?<${placeholder[2]}>[^/]+)`;
    })
    .join('');
  return new RegExp(`^${source}$`);
}
