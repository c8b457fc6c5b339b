/**
 * The types the starters are written against, in a module that holds nothing else: a starter
 * imports its signature from here and never loads the step code that solves it.
 */
import type { cookieSizeWarning, dumpCookie, parseCookie } from '../../01-raw-http/cookies.ts';
import type { sessionProxy } from '../../01-raw-http/context.ts';
import type { verifySignature } from '../../02-signed-cookie/signer.ts';
import type { checkAge } from '../../02-signed-cookie/timestamp-signer.ts';
import type { SessionInterface } from '../../02-signed-cookie/session-interface.ts';
import type { writeFileAtomic } from '../../03-json-file/atomic-write.ts';
import type { resolveSid, saveEntry } from '../../03-json-file/json-file-session.ts';
import type { sweepExpired } from '../../03-json-file/session-file.ts';

export type { CookieOptions } from '../../01-raw-http/cookies.ts';
export type { SessionFileSystem } from '../../03-json-file/file-system.ts';
export type { SavedSession, SessionEntries } from '../../03-json-file/json-file-session.ts';
export type { StoredSession } from '../../03-json-file/session-file.ts';
export type { SessionStore } from '../../04-flask-session/store.ts';
export type { MemoryStoreOptions } from '../../04-flask-session/stores/memory-store.ts';

export type ParseCookie = typeof parseCookie;
export type DumpCookie = typeof dumpCookie;
export type CookieSizeWarning = typeof cookieSizeWarning;
export type SessionProxy = typeof sessionProxy;
export type VerifySignature = typeof verifySignature;
export type CheckAge = typeof checkAge;
export type ShouldSetCookie = SessionInterface['shouldSetCookie'];
export type WriteFileAtomic = typeof writeFileAtomic;
export type ResolveSid = typeof resolveSid;
export type SweepExpired = typeof sweepExpired;
export type SaveEntry = typeof saveEntry;
