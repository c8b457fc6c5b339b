/**
 * The request trace the inspector page shows: what the browser sent, what the session interface
 * made of it, what the view left behind and what the save sent back. Written from the lifecycle's
 * signals, beside the notes the session interfaces add themselves (`noteSession`), and only for a
 * request that asks for it: the page sends `Session-Trace: 1`, curl does not.
 */
import type { Flask, LifecycleSignal, SignalReceiver } from '../01-raw-http/app.ts';
import { currentContext, noteSession, type RequestContext } from '../01-raw-http/context.ts';
import type { Response } from '../01-raw-http/response.ts';

// The requests whose open or view ended in an error answer: their handler note says so instead.
const failedRequests = new WeakSet<RequestContext>();
// The requests that reached the save phase, to tell a failed save from a failed after-request function.
const savingRequests = new WeakSet<RequestContext>();

/** The signal receiver that records the trace of every request that asks for one. */
export function traceSignals(app: Flask): SignalReceiver {
  return (signal: LifecycleSignal, response?: Response, failed?: Response) => {
    const context = currentContext();
    if (signal === 'request-started' && context.request.headers['session-trace'] === '1') context.trace = [];
    if (!context.trace) return;
    if (signal === 'request-started') traceCookie(app, context);
    else if (signal === 'session-opened') traceOpened(app, context);
    else if (signal === 'request-failed') traceFailed(context, response!);
    else if (signal === 'saving-session') traceHandled(context, response!);
    else if (signal === 'session-saved') traceSaved(app, response!);
    else traceSaveFailed(context, response!, failed!);
  };
}

/** Before `openSession`: did the request carry a session cookie at all? */
function traceCookie(app: Flask, context: RequestContext): void {
  const name = app.config.SESSION_COOKIE_NAME;
  const value = context.request.cookies.get(name);
  noteSession('open', () =>
    value === undefined
      ? `no "${name}" cookie in the request`
      : `"${name}" cookie received (${value.length} characters)`,
  );
}

/** After `openSession`: the session the handler will see. */
function traceOpened(app: Flask, context: RequestContext): void {
  const session = context.session!;
  if (app.sessionInterface?.isNullSession(session))
    noteSession('open', () => 'no session possible: a null session stands in');
  else if (session.size === 0) noteSession('open', () => 'opened an empty session');
  else noteSession('open', () => `opened a session with keys: ${session.keys().join(', ')}`);
}

/** Before `saveSession`: what the handler phase produced, and the flags the save decides on. */
function traceHandled(context: RequestContext, response: Response): void {
  savingRequests.add(context);
  const { method, path } = context.request;
  const session = context.session;
  if (!session) {
    noteSession('handler', () => 'the view did not run: there is no session to give it');
    noteSession('save', () => 'nothing saved: no session was opened');
    return;
  }
  if (!failedRequests.has(context))
    noteSession('handler', () => `${method} ${path}: the view returned ${response.status}`);
  noteSession(
    'handler',
    () => `session.modified = ${session.modified}, session.accessed = ${session.accessed}`,
  );
}

/** After `saveSession`: what the response tells the browser about the session cookie. */
function traceSaved(app: Flask, response: Response): void {
  const name = app.config.SESSION_COOKIE_NAME;
  const headers = response.getHeaders('Set-Cookie').filter((header) => header.startsWith(`${name}=`));
  if (headers.length === 0)
    noteSession('save', () => `no Set-Cookie for "${name}": the browser keeps what it has`);
  for (const header of headers) {
    const deleted = /;\s*Max-Age=0(;|$)/i.test(header);
    noteSession('save', () =>
      deleted ? `cookie "${name}" deleted (Max-Age=0)` : `cookie "${name}" set (${header.length} characters)`,
    );
  }
  const vary = response.getHeader('Vary');
  noteSession('save', () =>
    vary ? `Vary: ${vary}` : 'no Vary header: the response does not depend on the cookie',
  );
}

/** An error answer instead of a session or a view: which phase failed, and with what. */
function traceFailed(context: RequestContext, response: Response): void {
  failedRequests.add(context);
  const { method, path } = context.request;
  if (!context.session) noteSession('open', () => `the session could not be opened: ${answerOf(response)}`);
  else noteSession('handler', () => `${method} ${path} ended in ${answerOf(response)}`);
}

/** After-request functions or `saveSession` threw: the browser gets `failed` instead of `response`. */
function traceSaveFailed(context: RequestContext, response: Response, failed: Response): void {
  const what = savingRequests.has(context) ? 'the save failed' : 'an after-request function failed';
  noteSession('save', () => `${what}: ${answerOf(failed)}`);
  noteSession(
    'save',
    () => `the browser gets this ${failed.status}, not the ${response.status}, and none of its headers`,
  );
}

// An error answer's status and its one-line text (an HTTPException's message; a 500 says nothing more).
function answerOf(response: Response): string {
  return `${response.status} ${String(response.body).trim()}`;
}
