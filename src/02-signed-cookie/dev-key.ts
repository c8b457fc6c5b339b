import { randomBytes } from 'node:crypto';

/** A fresh random key per start, announced on `warn`: nobody can know it, and sessions die with the process. */
export function devKey(warn: (message: string) => void): string {
  warn(
    '*** WARNING: FLASK_SECRET_KEY is not set. Using a random development key: sessions will not survive a restart.\n' +
      '*** Set FLASK_SECRET_KEY to a long random value (python3 -c "import secrets; print(secrets.token_hex())") in production.',
  );
  return randomBytes(32).toString('hex');
}
