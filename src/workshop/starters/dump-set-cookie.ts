import { NotImplementedError } from '../not-implemented.ts';
import type { CookieSizeWarning, DumpCookie } from './types.ts';

/**
 * One Set-Cookie header value: `name=value`, then each attribute that is set, in Werkzeug's order:
 * `; Domain=…; Expires=…; Max-Age=…; Secure; HttpOnly; Path=…; SameSite=…`.
 * - `name` must be an RFC 6265 token (letters, digits, !#$%&'*+-.^_`|~); anything else throws a TypeError.
 * - `expires` is a Date, seconds since 1970, or a ready HTTP date string; 0 is a date (1970), not "unset",
 *   and `maxAgeSeconds: 0` is written `Max-Age=0`.
 * - A value of letters, digits and !#$%&'()*+-./:<=>?@[]^_`{|}~ goes out bare; any other goes in double
 *   quotes, `"` and `\` backslash-escaped, each other byte outside printable ASCII (and `,` `;`) as `\ooo`.
 * - A `;` in the path is written `%3B`.
 * - `sameSite: 'None'` without `secure: true` throws: a browser would ignore that cookie.
 * (`partitioned` is not checked; the solution shows it.) Check with `npm run exercise -- dump-set-cookie`.
 */
export const dumpCookie: DumpCookie = (name, value, options = {}) => {
  // TODO(exercise): build the header from `name`, `value` and `options`, following the rules above.
  void options;
  throw new NotImplementedError(
    `dumpCookie(${JSON.stringify(name)}, ${JSON.stringify(value)}) is not written yet`,
  );
};

/**
 * Werkzeug's warning when `header` is over `maxSize` UTF-8 bytes (0: no limit), else undefined. The
 * "value" is the part between the first `=` and the first `; `; the text, with the numbers filled in:
 * The 'NAME' cookie is too large: the value was V bytes but the header required H-V extra bytes. The
 * final size was H bytes but the limit is MAX bytes. Browsers may silently ignore cookies larger than this.
 */
export const cookieSizeWarning: CookieSizeWarning = (name, header, maxSize = 4093) => {
  // TODO(exercise): measure `header` in bytes and return the warning when it is too large.
  throw new NotImplementedError(
    `cookieSizeWarning(${JSON.stringify(name)}, …, ${maxSize}) is not written yet`,
  );
};
