import { NotImplementedError } from '../not-implemented.ts';
import type { ParseCookie } from './types.ts';

/**
 * Every `name=value` pair of a Cookie header, in order, duplicates kept, quoted values unquoted.
 * Check your work with `npm run exercise -- parse-cookie` (add `--watch` to rerun on save).
 */
export const parseCookie: ParseCookie = (header) => {
  // TODO(exercise): parse `header` the way src/01-raw-http/cookies.ts does; never throw on junk.
  throw new NotImplementedError(`parseCookie(${JSON.stringify(header)}) is not written yet`);
};
