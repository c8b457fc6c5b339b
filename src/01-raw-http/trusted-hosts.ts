import { domainToASCII } from 'node:url';
import { SecurityError } from './http-errors.ts';
import type { Request } from './request.ts';

/** The names a demo server on 127.0.0.1 is reached by; any other name came through someone's DNS. */
export const loopbackHosts: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

// Werkzeug's `_host_re`: a name or IPv4 address, or an IPv6 address in brackets, then a port.
const hostPattern = /^(?<name>[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?$/i;

/**
 * Werkzeug's `host_is_trusted`: the `Host` header's name, port ignored, is one of `trusted`, or
 * lies under one that starts with a dot. An empty list trusts any well-formed host, as there.
 */
export function hostIsTrusted(host: string | undefined, trusted: readonly string[]): boolean {
  const name = host === undefined ? undefined : hostPattern.exec(host)?.groups?.name?.toLowerCase();
  if (!name) return false;
  if (trusted.length === 0) return true;
  return trusted.some((entry) => {
    const suffix = entry.startsWith('.');
    const wanted = asciiName(suffix ? entry.slice(1) : entry);
    return name === wanted || (suffix && name.endsWith(`.${wanted}`));
  });
}

/**
 * Flask 3.1's `TRUSTED_HOSTS`, checked during routing: a request for a name the app does not
 * expect (a DNS-rebinding page's `Host: evil.example`) is a 400. Null or empty: any host.
 */
export function checkTrustedHost(request: Request, trusted: readonly string[] | string | null): void {
  const list = typeof trusted === 'string' ? [trusted] : (trusted ?? []);
  if (list.length === 0) return;
  // A request without Host (HTTP/1.0) names nothing that could be checked: refused.
  const host = request.headers.host;
  if (!hostIsTrusted(host, list)) {
    throw new SecurityError(`Host ${JSON.stringify(host ?? '')} is not trusted (TRUSTED_HOSTS).`);
  }
}

// Non-ASCII names are compared in their IDNA form, as Werkzeug encodes them.
function asciiName(name: string): string {
  return /^[\x00-\x7f]*$/.test(name) ? name.toLowerCase() : domainToASCII(name);
}
