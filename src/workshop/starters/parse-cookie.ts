import { NotImplementedError } from '../not-implemented.ts';
import type { ParseCookie } from './types.ts';

/**
 * Every `name=value` pair of a Cookie header, in order, duplicates kept: split at each `;` outside
 * double quotes and each pair at its first `=`; strip both sides as Python's `str.strip()` does (not
 * like JavaScript's `trim()`); skip an empty name; unquote a value in double quotes (`\"`, `\\`, `\ooo`).
 * Check your work with `npm run exercise -- parse-cookie` (add `--watch` to rerun on save).
 */
export const parseCookie: ParseCookie = (header) => {
  // TODO(exercise): split `header` into [name, value] pairs as described above; never throw on junk.
  throw new NotImplementedError(`parseCookie(${JSON.stringify(header)}) is not written yet`);
};
