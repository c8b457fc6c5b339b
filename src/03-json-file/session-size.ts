import { HTTPException } from '../01-raw-http/http-errors.ts';

/** `SESSION_MAX_BYTES` by default: far above what a session needs, far below what a disk or a cache notices. */
export const defaultSessionMaxBytes = 64 * 1024;

/** 413: the session is larger than the server keeps; this request's changes to it were not written. */
export class SessionTooLarge extends HTTPException {
  constructor(sizeBytes: number, limit: string) {
    super(
      413,
      `The session is too large to store: ${sizeBytes} bytes, more than ${limit}. This request's changes to it were not saved.`,
    );
  }
}

/** Refuses, before anything is written, a session of more than `maxBytes` (`SESSION_MAX_BYTES`). */
export function checkSessionSize(sizeBytes: number, maxBytes: number): void {
  if (sizeBytes > maxBytes) throw new SessionTooLarge(sizeBytes, `SESSION_MAX_BYTES (${maxBytes} bytes)`);
}
