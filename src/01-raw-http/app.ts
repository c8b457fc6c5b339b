import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyBudget } from './body-budget.ts';
import { checkConfig, defaultConfig, type FlaskConfig } from './config.ts';
import { flaskConfigRules } from './config-rules.ts';
import { runInContext, type RequestContext } from './context.ts';
import { HTTPException, InternalServerError, RequestEntityTooLarge } from './http-errors.ts';
import { Request } from './request.ts';
import { Response } from './response.ts';
import { Router, type RouteParams } from './routing.ts';
import type { SessionHooks } from './session-hooks.ts';
import type { Session } from './session.ts';
import { LogThrottle } from './log-throttle.ts';
import { hasBody, noBody, readBody } from './read-body.ts';
import { checkTrustedHost } from './trusted-hosts.ts';

/** What a handler may return: text (HTML), a Response, or any other value sent as JSON. */
export type ResponseValue = string | Buffer | Response | object;
/** A view function. Route params come in; `request` and `session` come from the context. */
export type Handler = (params: RouteParams, request: Request) => ResponseValue | Promise<ResponseValue>;
/** Flask's `before_request`: runs before the view; a value it returns is the answer, and the view is skipped. */
export type BeforeRequest = (request: Request) => ResponseValue | void | Promise<ResponseValue | void>;
/** Flask's `after_request`: may change or replace the response before the session is saved. */
export type AfterRequest = (response: Response) => Response | void | Promise<Response | void>;
/** Flask's `request_finished` signal: sees the final response, inside the request context. */
export type RequestFinished = (response: Response) => void;
/**
 * The session's phases, as signals (Flask has `request_started` and `got_request_exception`; the
 * session's own phases are ours): started, session opened, failed (opening or the view ended in an
 * error answer), saving, saved, and save failed (an after-request function or the save threw).
 */
export type LifecycleSignal =
  | 'request-started'
  | 'session-opened'
  | 'request-failed'
  | 'saving-session'
  | 'session-saved'
  | 'save-failed';
/** Hears each signal inside the request context, with the response so far; on `save-failed`, also the one replacing it. */
export type SignalReceiver = (signal: LifecycleSignal, response?: Response, failed?: Response) => void;
/** Where the app reports errors and warnings; never handed a secret. */
export interface Logger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** The Flask-shaped application: config, routes, a session interface and the request lifecycle. */
export class Flask<C extends FlaskConfig = FlaskConfig> {
  readonly config: C;
  readonly router = new Router<Handler>();
  readonly beforeRequestFuncs: BeforeRequest[] = [];
  readonly afterRequestFuncs: AfterRequest[] = [];
  readonly requestFinishedFuncs: RequestFinished[] = [];
  readonly signalReceivers: SignalReceiver[] = [];
  sessionInterface: SessionHooks | undefined;
  /** The request bodies in memory now, all requests together (`MAX_BUFFERED_CONTENT_LENGTH`). */
  readonly bodyBudget: BodyBudget;
  logger: Logger = {
    warn: (m) => console.warn(m),
    error: (m, e) => (e === undefined ? console.error(m) : console.error(m, e)),
  };
  /** Repeats of one failure within a minute are counted, not logged. */
  logThrottle = new LogThrottle();

  constructor(config: Partial<C> & Omit<C, keyof FlaskConfig> = {} as C) {
    this.config = { ...defaultConfig, ...config } as C;
    checkConfig<FlaskConfig>(this.config, flaskConfigRules);
    this.bodyBudget = new BodyBudget(this.config.MAX_BUFFERED_CONTENT_LENGTH);
  }

  route(rule: string, methods: readonly string[], handler: Handler): this {
    this.router.add(rule, methods, handler);
    return this;
  }

  get(rule: string, handler: Handler): this {
    return this.route(rule, ['GET'], handler);
  }

  post(rule: string, handler: Handler): this {
    return this.route(rule, ['POST'], handler);
  }

  beforeRequest(fn: BeforeRequest): this {
    this.beforeRequestFuncs.push(fn);
    return this;
  }

  afterRequest(fn: AfterRequest): this {
    this.afterRequestFuncs.push(fn);
    return this;
  }

  onRequestFinished(fn: RequestFinished): this {
    this.requestFinishedFuncs.push(fn);
    return this;
  }

  onSignal(fn: SignalReceiver): this {
    this.signalReceivers.push(fn);
    return this;
  }

  /** The `node:http` request listener: `createServer(app.handle)`. */
  readonly handle = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    this.respond(incoming)
      .then((response) => send(outgoing, response, incoming.method === 'HEAD'))
      .catch((error: unknown) => {
        this.logger.error('failed to send a response', error);
        outgoing.destroy();
      });
  };

  /** One request, start to end: Flask's `wsgi_app` → `RequestContext.push` → `full_dispatch_request`. */
  async respond(incoming: IncomingMessage): Promise<Response> {
    let request: Request;
    try {
      const body = hasBody(incoming)
        ? await readBody(incoming, this.config.MAX_CONTENT_LENGTH, this.bodyBudget)
        : noBody;
      request = new Request({
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body,
      });
    } catch (error) {
      const response = this.handleError(error);
      if (error instanceof RequestEntityTooLarge) response.setHeader('Connection', 'close');
      return response;
    }
    // #region respond
    const context: RequestContext = { request, session: undefined };
    return runInContext(context, async () => {
      this.signal('request-started');
      let response: Response;
      try {
        context.session = await this.openSession(request);
        this.signal('session-opened');
        response = (await this.preprocessRequest(request)) ?? (await this.dispatch(request));
      } catch (error) {
        response = this.handleError(error);
        this.signal('request-failed', response);
      }
      response = await this.processResponse(context, response);
      for (const fn of this.requestFinishedFuncs) fn(response);
      return response;
    });
    // #endregion respond
  }

  async openSession(request: Request): Promise<Session> {
    const iface = this.requireSessionInterface();
    return (await iface.openSession(this, request)) ?? iface.makeNullSession(this);
  }

  /** Flask's `preprocess_request`: the before-request functions in order, until one answers. */
  async preprocessRequest(request: Request): Promise<Response | undefined> {
    for (const fn of this.beforeRequestFuncs) {
      const value = await fn(request);
      if (value !== undefined && value !== null) return makeResponse(value);
    }
    return undefined;
  }

  async dispatch(request: Request): Promise<Response> {
    checkTrustedHost(request, this.config.TRUSTED_HOSTS);
    const match = this.router.match(request.method, request.path, request.queryString);
    if (request.method === 'OPTIONS') {
      return new Response('', { headers: { Allow: this.router.allowedMethods(request.path).join(', ') } });
    }
    return makeResponse(await match.handler(match.params, request));
  }

  /** Flask's `process_response`: after-request functions, then `saveSession`. */
  async processResponse(context: RequestContext, response: Response): Promise<Response> {
    try {
      // Flask runs after-request functions in the reverse order of their registration.
      for (let i = this.afterRequestFuncs.length - 1; i >= 0; i--)
        response = (await this.afterRequestFuncs[i]!(response)) ?? response;
      const iface = this.requireSessionInterface();
      this.signal('saving-session', response);
      if (context.session && !iface.isNullSession(context.session))
        await iface.saveSession(this, context.session, response);
      this.signal('session-saved', response);
    } catch (error) {
      const failed = this.handleError(error);
      this.signal('save-failed', response, failed);
      return failed;
    }
    for (const warning of response.warnings) this.logger.warn(warning);
    return response;
  }

  /** An HTTPException becomes its own response; anything else is logged and becomes a 500. */
  handleError(error: unknown): Response {
    const http = error instanceof HTTPException ? error : new InternalServerError({ cause: error });
    if (http.code >= 500) this.logServerError(http);
    const response = new Response(`${http.message}\n`, {
      status: http.code,
      mimetype: 'text/plain; charset=utf-8',
    });
    for (const [name, value] of Object.entries(http.headers)) response.setHeader(name, value);
    return response;
  }

  /**
   * Logs a failure as one line, any `user:password@` in it masked; repeats of one `kind` are
   * throttled (`logThrottle`). `error` goes along only for a bug, whose stack is worth reading.
   */
  logFailure(line: string, options: { kind?: string; error?: unknown } = {}): void {
    const suppressed = this.logThrottle.admit(options.kind ?? line);
    if (suppressed === null) return;
    const text = `${line.replace(/\s*\n\s*/g, ' ').replace(/\/\/[^/@\s]*@/g, '//***@')}${suppressed ? ` (and ${suppressed} more like it since the last one logged)` : ''}`;
    if (options.error === undefined) this.logger.error(text);
    else this.logger.error(text, options.error);
  }

  // A 500 is a bug: logged with its stack. Any other 5xx (a backend down) is expected: one line with its cause.
  private logServerError(http: HTTPException): void {
    const cause =
      http.cause instanceof Error
        ? `${http.cause.name}: ${http.cause.message}`
        : http.cause === undefined
          ? ''
          : String(http.cause);
    const line = `${http.code} ${http.message}${cause ? ` (${cause})` : ''}`;
    if (http instanceof InternalServerError)
      this.logFailure(line, { kind: `500 ${cause}`, error: http.cause });
    else this.logFailure(line, { kind: `${http.code} ${http.message}` });
  }

  private signal(signal: LifecycleSignal, response?: Response, failed?: Response): void {
    for (const fn of this.signalReceivers) fn(signal, response, failed);
  }

  private requireSessionInterface(): SessionHooks {
    if (!this.sessionInterface) throw new Error('app.sessionInterface is not set');
    return this.sessionInterface;
  }
}

/** Flask's `make_response`: turns a handler's return value into a Response. */
export function makeResponse(value: ResponseValue): Response {
  if (value instanceof Response) return value;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return new Response(value);
  return Response.json(value);
}

function send(outgoing: ServerResponse, response: Response, headOnly: boolean): void {
  const raw: string[] = [];
  for (const { name, values } of response.headers.values()) for (const value of values) raw.push(name, value);
  raw.push('Content-Length', String(Buffer.byteLength(response.body)));
  outgoing.writeHead(response.status, raw);
  // A string body goes out in the same write as the headers (Node joins them); a Buffer needs two.
  outgoing.end(headOnly ? undefined : response.body);
}
