/**
 * HTTP errors as exceptions, after Werkzeug's `HTTPException` family: a handler (or the
 * framework) throws one, and the app turns it into a response with that status.
 */
export class HTTPException extends Error {
  readonly code: number;
  readonly headers: Record<string, string>;

  constructor(
    code: number,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.headers = options.headers ?? {};
  }
}

/** 400: the request itself is malformed (bad body, bad header). */
export class BadRequest extends HTTPException {
  constructor(
    message = 'The browser (or proxy) sent a request that this server could not understand.',
    options: { cause?: unknown } = {},
  ) {
    super(400, message, options);
  }
}

/** 403: the request is understood and refused (here: a state change sent from another site). */
export class Forbidden extends HTTPException {
  constructor(
    message = "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
  ) {
    super(403, message);
  }
}

/** Werkzeug's `SecurityError`, a 400: here, a `Host` that is not among `TRUSTED_HOSTS`. */
export class SecurityError extends BadRequest {}

/** 404: no rule matches the path. */
export class NotFound extends HTTPException {
  constructor(message = 'The requested URL was not found on the server.') {
    super(404, message);
  }
}

/** 405: a rule matches the path but not the method; `Allow` lists the methods that would. */
export class MethodNotAllowed extends HTTPException {
  constructor(allowed: readonly string[]) {
    super(405, 'The method is not allowed for the requested URL.', {
      headers: { Allow: allowed.join(', ') },
    });
  }
}

/** 413: the body is larger than `MAX_CONTENT_LENGTH`. */
export class RequestEntityTooLarge extends HTTPException {
  constructor(limitBytes: number) {
    super(413, `The data value transmitted exceeds the capacity limit of ${limitBytes} bytes.`);
  }
}

/** 308: Werkzeug's redirect from `/path` to the canonical `/path/`. */
export class RequestRedirect extends HTTPException {
  constructor(location: string) {
    super(308, `Redirecting to ${location}`, { headers: { Location: location } });
  }
}

/** 500: a handler threw something that is not an HTTPException. */
export class InternalServerError extends HTTPException {
  constructor(options: { cause?: unknown } = {}) {
    super(500, 'The server encountered an internal error and was unable to complete your request.', options);
  }
}

/** 503: a dependency (a session backend) is down, or the server is full; the server itself is fine. */
export class ServiceUnavailable extends HTTPException {
  constructor(
    message = 'The server is temporarily unable to service your request.',
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(503, message, options);
  }
}
