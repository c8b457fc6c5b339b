/**
 * The types the starters are written against, in a module that holds nothing else: a starter
 * imports its signature from here and never loads the step code that solves it.
 */
import type { cookieSizeWarning, dumpCookie, parseCookie } from '../../01-raw-http/cookies.ts';
import type { sessionProxy } from '../../01-raw-http/context.ts';
import type { verifySignature } from '../../02-signed-cookie/signer.ts';
import type { tag, untag } from '../../02-signed-cookie/tagged-json.ts';
import type { checkAge } from '../../02-signed-cookie/timestamp-signer.ts';
import type { SessionInterface } from '../../02-signed-cookie/session-interface.ts';
import type { writeFileAtomic } from '../../03-json-file/atomic-write.ts';
import type { resolveSid, saveEntry } from '../../03-json-file/json-file-session.ts';
import type { sweepExpired } from '../../03-json-file/session-file.ts';
import type { SessionStore } from '../../04-flask-session/store.ts';

export type { CookieOptions } from '../../01-raw-http/cookies.ts';
export type { SecretKey, SignerOptions } from '../../02-signed-cookie/signer.ts';
export type { SessionFileSystem } from '../../03-json-file/file-system.ts';
export type { SavedSession, SessionEntries } from '../../03-json-file/json-file-session.ts';
export type { StoredSession } from '../../03-json-file/session-file.ts';
export type { SessionStore };

export type ParseCookie = typeof parseCookie;
export type DumpCookie = typeof dumpCookie;
export type CookieSizeWarning = typeof cookieSizeWarning;
export type SessionProxy = typeof sessionProxy;
export type VerifySignature = typeof verifySignature;
/** Flask's tagging walk; the reference's optional second parameter (its cycle guard) is not asked for. */
export type Tag = (value: Parameters<typeof tag>[0]) => ReturnType<typeof tag>;
export type Untag = typeof untag;
export type CheckAge = typeof checkAge;
export type ShouldSetCookie = SessionInterface['shouldSetCookie'];
export type MakeNullSession = SessionInterface['makeNullSession'];
export type WriteFileAtomic = typeof writeFileAtomic;
export type ResolveSid = typeof resolveSid;
export type SweepExpired = typeof sweepExpired;
export type SaveEntry = typeof saveEntry;

/** lru-session-store's options: how many entries to keep at most, and the clock entries expire on. */
export interface LruStoreOptions {
  /** Entries kept at most; the least recently used goes first. */
  maxEntries?: number;
  /** Milliseconds since the epoch; the store expires entries on this clock, not on Date.now(). */
  now?: () => number;
}

/** What regenerate-at-login moves a session through: the interface's store, key prefix and sid size. */
export interface SidIssuer {
  readonly store: SessionStore;
  /** The store key is `keyPrefix + sid`. */
  readonly keyPrefix: string;
  /** Bytes of randomness in a sid: 32 gives 43 characters of URL-safe base64. */
  readonly sidLength: number;
}

/** The server-side session as regenerate-at-login sees it: its sid, Flask's two flags, and whether it is empty. */
export interface RegeneratingSession {
  sid: string;
  /** True for a sid never stored yet: the save inserts (`set`) instead of replacing a live entry. */
  new: boolean;
  /** True when the session must be saved at the end of the request. */
  modified: boolean;
  /** Holds nothing but `_permanent`: such a session is never stored. */
  readonly isEmpty: boolean;
}

export type RegenerateAtLogin = (iface: SidIssuer, session: RegeneratingSession) => Promise<void>;
export type { HeldLease } from '../../05-session-lock/session-lock.ts';

/** Lesson 05's exercise: a lease lock inside one process (what MemoryLeaseLock and acquireLease do together). */
export interface InProcessLock {
  acquire(key: string, times: { leaseMs: number; waitMs: number }): Promise<import('../../05-session-lock/session-lock.ts').HeldLease>;
}
export type CreateLeaseLock = (now: () => number) => InProcessLock;
