// Exercise reject-unknown-sid (lessons/03-json-file.md): run `npm run exercise -- reject-unknown-sid`.
import { NotImplementedError } from '../not-implemented.ts';
import type { ResolveSid, StoredSession } from './types.ts';

/**
 * The sid a request gets, with its stored entry: resolves to `{ sid, stored }`. `cookieSid` is the
 * sid from the cookie (null when there is none or it is malformed); `lookup` finds its live stored
 * entry (null when there is none); `newSid` makes a fresh one. Keep the cookie's sid (and its
 * entry) only when the store knows it; otherwise `{ sid: newSid(), stored: null }`.
 */
export const resolveSid: ResolveSid = async (
  cookieSid: string | null,
  lookup: (sid: string) => Promise<StoredSession | null>,
  newSid: () => string,
) => {
  // TODO(exercise)
  throw new NotImplementedError('resolveSid');
};
