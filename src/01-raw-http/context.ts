import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request } from './request.ts';
import type { Session } from './session.ts';

/** Flask's error for `request` or `session` used when no request is being handled. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** The three phases of a request's session lifecycle, as the trace names them. */
export type SessionPhase = 'open' | 'handler' | 'save';

/** One line of a request's session trace: a phase, and what was decided in it. */
export interface TraceNote {
  readonly phase: SessionPhase;
  readonly text: string;
}

/** What Flask's `RequestContext` holds for one request. */
export interface RequestContext {
  readonly request: Request;
  /** Undefined until the session interface has opened it. */
  session: Session | undefined;
  /** What each phase decided, when a signal receiver asked for it (the inspector page does); absent otherwise. */
  trace?: TraceNote[];
}

const storage = new AsyncLocalStorage<RequestContext>();

const outsideRequest =
  'Working outside of request context.\n\n' +
  'This typically means that you attempted to use functionality that needed\n' +
  'an active HTTP request. Consult the documentation on testing for\n' +
  'information about how to avoid this problem.';

// #region request-context
/** Runs `fn` with `context` as the current request context, across every `await` inside it. */
export function runInContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the request being handled, or Flask's RuntimeError outside of one. */
export function currentContext(): RequestContext {
  const context = storage.getStore();
  if (!context) throw new RuntimeError(outsideRequest);
  return context;
}
// #endregion request-context

/**
 * Adds a line to the current request's trace; does nothing outside a request or when nobody
 * records one. The text comes from a function so that it is only built when someone reads it.
 */
export function noteSession(phase: SessionPhase, describe: () => string): void {
  storage.getStore()?.trace?.push({ phase, text: describe() });
}

// #region proxy-to
// A Proxy stands in for "whatever the current request's object is". Methods are bound to the
// real object, because Session keeps its data in a private field that a Proxy cannot reach.
function proxyTo<T extends object>(resolve: () => T): T {
  const forward = <R>(fn: (target: T) => R): R => fn(resolve());
  return new Proxy({} as T, {
    get: (_, key) =>
      forward((target) => {
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }),
    set: (_, key, value) => forward((target) => Reflect.set(target, key, value, target)),
    has: (_, key) => forward((target) => Reflect.has(target, key)),
    ownKeys: (_) => forward((target) => Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (_, key) =>
      forward((target) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
        return descriptor && { ...descriptor, configurable: true };
      }),
  });
}
// #endregion proxy-to

/** The current request, like `flask.request`. */
export const request: Request = proxyTo(() => currentContext().request);

// #region session-proxy
/**
 * A session proxy over whatever context `getContext` finds. Any use marks the session accessed,
 * as Flask 3.1.3 does (GHSA-68rp-wp8r-4726): a response that depended on it must carry `Vary: Cookie`.
 */
export function sessionProxy(getContext: () => RequestContext | undefined): Session {
  return proxyTo(() => {
    const context = getContext();
    if (!context) throw new RuntimeError(outsideRequest);
    if (!context.session)
      throw new RuntimeError('The session is not open yet: the session interface has not run.');
    context.session.accessed = true;
    return context.session;
  });
}

/** The current session, like `flask.session`. */
export const session: Session = sessionProxy(() => storage.getStore());
// #endregion session-proxy
