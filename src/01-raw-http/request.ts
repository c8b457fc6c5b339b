import { BadRequest } from './http-errors.ts';
import { decodeHeaderBytes, parseCookieMap } from './cookies.ts';

/**
 * What the app knows about one request, after Werkzeug's `Request`: method, path, query,
 * headers, cookies and a body that is parsed as a form or JSON only when asked for.
 */
export class Request {
  readonly method: string;
  readonly path: string;
  /** The query as sent, without the `?` (Werkzeug's `query_string`). */
  readonly queryString: string;
  /** Lower-case names; repeated headers joined by Node (`, `; cookies by `; `). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly cookies: ReadonlyMap<string, string>;
  readonly body: Buffer;
  #json: unknown;
  #form: URLSearchParams | undefined;
  #query: URLSearchParams | undefined;

  constructor(init: {
    method: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body?: Buffer;
  }) {
    const target = splitTarget(init.url);
    this.method = init.method.toUpperCase();
    this.path = target.path;
    this.queryString = target.queryString;
    this.headers = flattenHeaders(init.headers);
    this.cookies = parseCookieMap(decodeHeaderBytes(this.headers.cookie ?? ''));
    this.body = init.body ?? Buffer.alloc(0);
  }

  /** The query's fields (Werkzeug's `args`), parsed when first asked for. */
  get query(): URLSearchParams {
    // URLSearchParams drops one leading `?` of its input; `/x??a` has the field `?a`.
    this.#query ??= new URLSearchParams(`?${this.queryString}`);
    return this.#query;
  }

  get mimetype(): string {
    return (this.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  }

  /** The body as JSON (any JSON type). Throws 400 on malformed JSON or a non-JSON content type. */
  get json(): unknown {
    if (this.#json !== undefined) return this.#json;
    if (this.mimetype !== 'application/json' && !this.mimetype.endsWith('+json')) {
      throw new BadRequest(
        "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
      );
    }
    try {
      // JSON.parse defines "__proto__" as an own property, never as the prototype.
      this.#json = JSON.parse(this.body.toString('utf8'));
    } catch (error) {
      throw new BadRequest('Failed to decode JSON object.', { cause: error });
    }
    return this.#json;
  }

  /** The body as `application/x-www-form-urlencoded` fields; empty for other content types. */
  get form(): URLSearchParams {
    if (this.#form) return this.#form;
    const text = this.mimetype === 'application/x-www-form-urlencoded' ? this.body.toString('utf8') : '';
    if (text.includes('\uFFFD')) throw new BadRequest('The form body is not valid UTF-8.');
    this.#form = new URLSearchParams(text);
    return this.#form;
  }
}

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const headers = Object.create(null) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = Array.isArray(value)
      ? value.join(name.toLowerCase() === 'cookie' ? '; ' : ', ')
      : value;
  }
  return headers;
}

/**
 * The path and query of a request target, as Werkzeug's server reads them: the path is
 * percent-decoded but never normalized (`/a/../admin` stays as it is), and leading slashes
 * collapse into one.
 */
export function splitTarget(target: string): { path: string; queryString: string } {
  const absoluteForm = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  const rest = absoluteForm ? target.slice(absoluteForm[0].length) : target;
  const end = rest.indexOf('#');
  const beforeFragment = end < 0 ? rest : rest.slice(0, end);
  const question = beforeFragment.indexOf('?');
  const rawPath = question < 0 ? beforeFragment : beforeFragment.slice(0, question);
  return {
    path: `/${safeDecodePath(rawPath).replace(/^\/+/, '')}`,
    queryString: question < 0 ? '' : beforeFragment.slice(question + 1),
  };
}

function safeDecodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch (error) {
    throw new BadRequest('The request path is not valid percent-encoded UTF-8.', { cause: error });
  }
}
