/**
 * The one error a session store throws: the backend is down, refused, or did not answer in
 * time. It carries the backend's name and the client's own error as `cause`; the session
 * interface turns it into a 503, so the server stays up and the visitor gets a clear answer.
 */
export class SessionBackendError extends Error {
  override name = 'SessionBackendError';
  /** `redis`, `memcached`, `filesystem`, `mongodb`, `sqlalchemy`, `memory`. */
  readonly backend: string;

  constructor(backend: string, message: string, options: { cause?: unknown } = {}) {
    super(`${backend}: ${message}`, { cause: options.cause });
    this.backend = backend;
  }
}
