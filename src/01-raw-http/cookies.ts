/**
 * Cookies by hand: the `Cookie` request header in, `Set-Cookie` response headers out.
 * Parsing follows Werkzeug's `parse_cookie` (RFC 6265 §5.4 plus its rules for quoted values);
 * serializing follows Werkzeug's `dump_cookie`, attribute order included.
 */
import { domainToASCII } from 'node:url';

// #region parse-cookie
// Werkzeug's _cookie_re: a name, then optionally `=` and a quoted or bare value, up to `;`.
// Whitespace is ASCII only (Python's re.ASCII), so no Unicode space splits a value; and
// Python's `.` is any character but a newline, where JavaScript's also stops at \r, U+2028, U+2029.
const cookiePair =
  /([^=;]*)(?:[ \t\n\r\f\v]*=[ \t\n\r\f\v]*("(?:[^\\"]|\\[^\n])*"|[^\n]*?))?[ \t\n\r\f\v]*;[ \t\n\r\f\v]*/g;
// What Python's str.strip() removes (str.isspace): JavaScript's trim() keeps \x1c-\x1f and
// \x85, and removes U+FEFF, which Python keeps.
const pythonSpace =
  /^[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Every `name=value` pair of a Cookie header, in order, duplicates kept. */
export function parseCookie(header: string | undefined): Array<[name: string, value: string]> {
  if (!header) return [];
  const pairs: Array<[string, string]> = [];
  for (const match of `${header};`.matchAll(cookiePair)) {
    const name = (match[1] ?? '').replace(pythonSpace, '');
    let value = (match[2] ?? '').replace(pythonSpace, '');
    if (!name) continue;
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = unquote(value.slice(1, -1));
    pairs.push([name, value]);
  }
  return pairs;
}
// #endregion parse-cookie

/** The cookies of a request by name; for a repeated name the first one wins, as in Werkzeug. */
export function parseCookieMap(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  for (const [name, value] of parseCookie(header)) if (!cookies.has(name)) cookies.set(name, value);
  return cookies;
}

// Node hands header values over as latin1; the bytes are UTF-8 (or junk). Werkzeug decodes the
// same way, with U+FFFD for bytes that are not UTF-8, so bad bytes never throw.
/** Re-decodes a latin1 header string as UTF-8, replacing invalid bytes. */
export function decodeHeaderBytes(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1; // ASCII reads the same either way
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

function unquote(quoted: string): string {
  const bytes = Buffer.from(quoted, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x5c || i + 1 >= bytes.length) {
      out.push(byte);
      continue;
    }
    const octal = bytes.subarray(i + 1, i + 4).toString('latin1');
    if (/^[0-3][0-7]{2}$/.test(octal)) {
      out.push(parseInt(octal, 8));
      i += 3;
    } else {
      out.push(bytes[i + 1]!);
      i += 1;
    }
  }
  return Buffer.from(out).toString('utf8');
}

/** The SameSite values Werkzeug accepts. */
export type SameSite = 'Strict' | 'Lax' | 'None';

/** The attributes of one Set-Cookie header; names as in Werkzeug's `set_cookie`. */
export interface CookieOptions {
  domain?: string | undefined;
  /** A date, seconds since the epoch, or a preformatted HTTP date. */
  expires?: Date | number | string | undefined;
  maxAgeSeconds?: number | undefined;
  secure?: boolean | undefined;
  httpOnly?: boolean | undefined;
  path?: string | undefined;
  sameSite?: SameSite | undefined;
  /** CHIPS: the cookie is keyed to the top-level site; implies Secure. */
  partitioned?: boolean | undefined;
}

// RFC 6265 §4.1.1: a cookie name is an RFC 2616 token.
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A name `dumpCookie` can write: an RFC 2616 token, so no space, `;` or `=`. */
export function isCookieName(name: unknown): name is string {
  return typeof name === 'string' && token.test(name);
}

/** Werkzeug's `dump_cookie` rule for SameSite: title-cased, then Strict, Lax or None; empty means none. */
export function cookieSameSite(value: unknown): SameSite | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const title = `${String(value).slice(0, 1).toUpperCase()}${String(value).slice(1).toLowerCase()}`;
  if (title !== 'Strict' && title !== 'Lax' && title !== 'None')
    throw new TypeError("SameSite must be 'Strict', 'Lax', or 'None'.");
  return title;
}

// Browsers ignore a SameSite=None cookie that is not Secure (RFC 6265bis, "The SameSite
// Attribute"). Werkzeug sends it anyway, and the cookie silently never comes back; this refuses it.
const sameSiteNoneNeedsSecure = 'SameSite=None requires Secure: a browser ignores the cookie otherwise.';

// Werkzeug's _cookie_no_quote_re: values made only of these go out bare.
const noQuote = /^[\w!#$%&'()*+\-./:<=>?@[\]^`{|}~]*$/;

// #region dump-cookie
/** One Set-Cookie header value, attributes in Werkzeug's fixed order. */
export function dumpCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!isCookieName(name)) throw new TypeError(`Invalid cookie name ${JSON.stringify(name)}`);
  const secure = options.secure || options.partitioned; // Partitioned implies Secure, as in Werkzeug
  if (options.sameSite === 'None' && !secure) throw new TypeError(sameSiteNoneNeedsSecure);
  let header = `${name}=${quoteValue(value)}`;
  if (options.domain) header += `; Domain=${normalizeDomain(options.domain)}`;
  if (options.expires !== undefined) header += `; Expires=${httpDate(options.expires)}`;
  if (options.maxAgeSeconds !== undefined) header += `; Max-Age=${options.maxAgeSeconds}`;
  if (secure) header += '; Secure';
  if (options.httpOnly) header += '; HttpOnly';
  if (options.path !== undefined) header += `; Path=${quotePath(options.path)}`;
  if (options.sameSite) header += `; SameSite=${options.sameSite}`;
  if (options.partitioned) header += '; Partitioned';
  return header;
}
// #endregion dump-cookie

// #region cookie-size-warning
/** Werkzeug's size warning text, or undefined when the header fits in `maxSize` bytes (0: no limit). */
export function cookieSizeWarning(name: string, header: string, maxSize = 4093): string | undefined {
  const size = Buffer.byteLength(header);
  if (!maxSize || size <= maxSize) return undefined;
  const valueSize = Buffer.byteLength(header.slice(name.length + 1).split('; ')[0] ?? '');
  return (
    `The '${name}' cookie is too large: the value was ${valueSize} bytes but the header required ` +
    `${size - valueSize} extra bytes. The final size was ${size} bytes but the limit is ${maxSize} bytes. ` +
    'Browsers may silently ignore cookies larger than this.'
  );
}
// #endregion cookie-size-warning

/** RFC 7231 IMF-fixdate, e.g. `Thu, 01 Jan 1970 00:00:00 GMT`. */
export function httpDate(when: Date | number | string): string {
  if (typeof when === 'string') return when;
  return (typeof when === 'number' ? new Date(when * 1000) : when).toUTCString();
}

function quoteValue(value: string): string {
  if (noQuote.test(value)) return value;
  let quoted = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) quoted += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte === 0x2c || byte === 0x3b || byte >= 0x7f)
      quoted += `\\${byte.toString(8).padStart(3, '0')}`;
    else quoted += String.fromCharCode(byte);
  }
  return `"${quoted}"`;
}

/**
 * The Domain attribute as Werkzeug writes it: no leading dot (browsers ignore it, RFC 6265
 * §5.2.3), no port, IDNA-encoded. Anything but a host name (a `;` would start another attribute) throws.
 */
export function normalizeDomain(domain: string): string {
  const ascii = domainToASCII(domain.split(':')[0]!.replace(/^\.+/, ''));
  if (!/^[A-Za-z0-9._-]+$/.test(ascii)) throw new TypeError('Invalid cookie domain: not a host name');
  return ascii;
}

// WHATWG path-segment safe set plus `%`, minus `;` which would end the attribute (Werkzeug 3).
function quotePath(path: string): string {
  return path.replace(/[^A-Za-z0-9_.\-~%!$&'()*+,/:=@]/gu, (char) =>
    [...Buffer.from(char, 'utf8')]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}
