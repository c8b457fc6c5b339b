import type { Flask } from './app.ts';
import { Forbidden } from './http-errors.ts';
import type { Request } from './request.ts';

// RFC 9110 §9.2.1: GET, HEAD and OPTIONS are safe methods; a route must not change state on them.
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request is a cross-origin state change, or null when it is not one, as Go 1.25's
 * `net/http.CrossOriginProtection` decides: the browser's `Sec-Fetch-Site` when it sends one,
 * else `Origin` compared with this server's `Host`. A request with neither comes from no web
 * page (curl, a script), so it carries no visitor's cookies, and it passes.
 */
export function crossOriginRefusal(request: Request): string | null {
  if (safeMethods.has(request.method)) return null;
  const site = request.headers['sec-fetch-site'];
  if (site) return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site is ${site}`;
  const origin = request.headers.origin;
  if (!origin) return null;
  const host = request.headers.host?.toLowerCase();
  return originHost(origin) === host
    ? null
    : `Origin ${origin} is not this server (Host ${host ?? 'missing'})`;
}

/** Refuses every cross-origin request that could change state with a 403 that says why. */
export function addCrossOriginProtection(app: Flask): void {
  app.beforeRequest((request) => {
    const reason = crossOriginRefusal(request);
    if (reason) throw new Forbidden(`Cross-origin ${request.method} refused: ${reason}.`);
  });
}

// `Origin: null` (a sandboxed frame, a redirect across sites) is no host at all.
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
