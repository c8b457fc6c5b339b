/**
 * Flask's session classes for the signed cookie: `SecureCookieSession`, and `NullSession`, the
 * stand-in used when there is no secret key, which reads as empty and refuses every write.
 */
import { RuntimeError } from '../01-raw-http/context.ts';
import { Session, type SessionData } from '../01-raw-http/session.ts';

/** Flask's `SecureCookieSession`: a step 01 Session (3.1.3: a mutation sets `modified` only). */
export class SecureCookieSession extends Session {}

// Flask's exact text, two spaces after "set." included.
const noSecretKey =
  'The session is unavailable because no secret key was set.  Set the secret_key on the application to something unique and secret.';

/** Flask's `NullSession`: reads work and find nothing; every write raises Flask's RuntimeError. */
// #region null-session-class
export class NullSession extends SecureCookieSession {
  override set(_key: string, _value: unknown): never {
    throw new RuntimeError(noSecretKey);
  }

  override setdefault(_key: string, _value: unknown): never {
    throw new RuntimeError(noSecretKey);
  }

  override pop(_key: string, _fallback?: unknown): never {
    throw new RuntimeError(noSecretKey);
  }

  override delete(_key: string): never {
    throw new RuntimeError(noSecretKey);
  }

  override clear(): never {
    throw new RuntimeError(noSecretKey);
  }

  override update(_values: Iterable<[string, unknown]> | SessionData): never {
    throw new RuntimeError(noSecretKey);
  }
}
// #endregion null-session-class
