import type { Flask } from '../01-raw-http/app.ts';
import {
  currentContext,
  noteSession,
  session,
  type RequestContext,
  type TraceNote,
} from '../01-raw-http/context.ts';
import { text } from '../01-raw-http/demo-routes.ts';
import { Response } from '../01-raw-http/response.ts';
import { inspectorPage } from './inspector-page.ts';
import { traceSignals } from './trace.ts';

/** One button on the page: a real route of the step's server, called with fetch(). */
export interface InspectorAction {
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** A form field the button sends, filled from a text box (`name` for login, `item` for the cart). */
  readonly field?: { readonly name: string; readonly value: string };
  /** Fixed form fields sent along, e.g. `{ remember: '1' }`. */
  readonly extra?: Readonly<Record<string, string>>;
  /** One sentence on what to watch for. */
  readonly help: string;
}

/** A step-specific box on the page, e.g. a signed cookie's anatomy or the server-side record. */
export interface InspectorPanel {
  readonly title: string;
  readonly rows: ReadonlyArray<readonly [label: string, value: string]>;
  readonly note?: string;
}

/** What a step tells the inspector: its name, its buttons, and its own panels. */
export interface InspectorOptions {
  readonly title: string;
  readonly actions: readonly InspectorAction[];
  /** Runs inside the `/inspect` request, after the session was opened. */
  readonly describe?: (context: RequestContext) => InspectorPanel[] | Promise<InspectorPanel[]>;
  /** Facts about this step's cookie and lifetime, shown as they are. */
  readonly notes?: readonly string[];
}

/** What one response tells the page about its own request (sent as the `Session-Trace` header). */
export interface TraceView {
  method: string;
  path: string;
  status: number;
  cookie: string | null;
  setCookie: string[];
  vary: string | null;
  notes: TraceNote[];
}

/** The `tamper` button: the page cannot touch an HttpOnly cookie, so the server sends the broken copy. */
export const tamperAction: InspectorAction = {
  label: 'Tamper with the cookie',
  method: 'POST',
  path: '/tamper',
  help: 'The server changes one character (scripts cannot write HttpOnly cookies).',
};

/**
 * Adds the inspector to a step's app: `GET /` (the page), `GET /inspect` (the session as the
 * server sees it, as JSON), `POST /tamper`, and a `Session-Trace` header on each response the page asks it of.
 */
export function addInspector(app: Flask, options: InspectorOptions): void {
  addPage(app, options);
  // Only the page asks for a trace (fetch() with `Session-Trace: 1`), so curl sees the app's own headers.
  app.onSignal(traceSignals(app));
  app.get('/inspect', async () => {
    const context = currentContext();
    const view = { ...inspectView(app, context), panels: (await options.describe?.(context)) ?? [] };
    const response = Response.json(view);
    response.setHeader('Cache-Control', 'no-store');
    return response;
  });
  const tampered = addTamperRoute(app);
  app.onRequestFinished((response) => {
    const context = currentContext();
    const broken = tampered.get(context);
    if (broken !== undefined) replaceSessionCookie(app, response, broken);
    if (!context.trace) return;
    response.setHeader('Session-Trace', encodeURIComponent(JSON.stringify(traceView(context, response))));
  });
}

function addPage(app: Flask, options: InspectorOptions): void {
  const page = inspectorPage({ title: options.title, actions: options.actions, notes: options.notes ?? [] });
  app.get('/', () => {
    const response = new Response(page.html);
    response.setHeader('Content-Security-Policy', page.contentSecurityPolicy);
    response.setHeader('Cache-Control', 'no-store');
    return response;
  });
}

/** `POST /tamper` remembers a broken copy of the request's session cookie, to be sent after the save. */
function addTamperRoute(app: Flask): WeakMap<RequestContext, string> {
  const tampered = new WeakMap<RequestContext, string>();
  app.post('/tamper', () => {
    const name = app.config.SESSION_COOKIE_NAME;
    const value = currentContext().request.cookies.get(name);
    if (!value) return text(`There is no "${name}" cookie to tamper with yet.`, 409);
    tampered.set(currentContext(), breakValue(value));
    return text(`Sent back the "${name}" cookie with one character changed.`);
  });
  return tampered;
}

function inspectView(app: Flask, context: RequestContext): object {
  const { config } = app;
  // Read through the proxy, so this response is marked as depending on the cookie, as any view's is.
  return {
    session: session.toJSON(),
    permanent: session.permanent,
    cookieName: config.SESSION_COOKIE_NAME,
    cookieHeader: context.request.headers.cookie ?? null,
    settings: {
      HttpOnly: config.SESSION_COOKIE_HTTPONLY,
      SameSite: config.SESSION_COOKIE_SAMESITE ?? '(not set)',
      Secure: config.SESSION_COOKIE_SECURE,
      PERMANENT_SESSION_LIFETIME: `${config.PERMANENT_SESSION_LIFETIME} s`,
      SESSION_REFRESH_EACH_REQUEST: config.SESSION_REFRESH_EACH_REQUEST,
    },
  };
}

function traceView(context: RequestContext, response: Response): TraceView {
  const { request } = context;
  return {
    method: request.method,
    path: request.path,
    status: response.status,
    cookie: request.headers.cookie ?? null,
    setCookie: response.getHeaders('Set-Cookie'),
    vary: response.getHeader('Vary') ?? null,
    notes: context.trace ?? [],
  };
}

// Changing the first letter or digit breaks any format: base64 JSON, a signature, a session id.
function breakValue(value: string): string {
  const at = value.search(/[A-Za-z0-9]/);
  if (at < 0) return `x${value}`;
  return value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
}

// Runs after saveSession, so no Set-Cookie the session interface sent can undo the tampering.
// The copy keeps the cookie's lifetime: a permanent session's cookie stays one that expires.
function replaceSessionCookie(app: Flask, response: Response, broken: string): void {
  const { config } = app;
  const name = config.SESSION_COOKIE_NAME;
  const headers = response.getHeaders('Set-Cookie');
  const saved = headers.find(
    (header) => header.startsWith(`${name}=`) && !/;\s*Max-Age=0(;|$)/i.test(header),
  );
  const expires =
    (saved && /;\s*Expires=([^;]+)/i.exec(saved)?.[1]) ??
    (currentContext().session?.permanent ? Date.now() / 1000 + config.PERMANENT_SESSION_LIFETIME : undefined);
  response.headers.delete('set-cookie');
  for (const header of headers.filter((h) => !h.startsWith(`${name}=`)))
    response.addHeader('Set-Cookie', header);
  response.setCookie(name, broken, {
    expires,
    domain: config.SESSION_COOKIE_DOMAIN ?? undefined,
    path: config.SESSION_COOKIE_PATH ?? config.APPLICATION_ROOT,
    httpOnly: config.SESSION_COOKIE_HTTPONLY,
    secure: config.SESSION_COOKIE_SECURE,
    sameSite: config.SESSION_COOKIE_SAMESITE ?? undefined,
  });
  noteSession('save', () => `the inspector replaced the "${name}" cookie with a broken copy`);
}
