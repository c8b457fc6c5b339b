import type { Flask } from '../../01-raw-http/app.ts';
import type { SessionLockConfig } from '../../05-session-lock/config.ts';
import { LockingSessionInterface } from '../../05-session-lock/locking-interface.ts';
import type { InspectorOptions, InspectorPanel } from '../inspector.ts';
import { flaskSessionPage, recordPanel } from './04-flask-session.ts';

/** Step 05's page: step 04's, and a panel that says whether the session's requests take turns. */
export function sessionLockPage(app: Flask<SessionLockConfig>): InspectorOptions {
  const page = flaskSessionPage(app, '05');
  const locked = app.sessionInterface instanceof LockingSessionInterface;
  return {
    ...page,
    title: `Step 05 · the session lock, SESSION_LOCK=${locked}, SESSION_TYPE=${app.config.SESSION_TYPE}`,
    describe: async () => [...(await recordPanel(app)), lockPanel(app, locked)],
    notes: [...(page.notes ?? []), locked ? compareNote : unlockedNote],
  };
}

const compareNote = 'Compare without the lock: FLASK_SESSION_LOCK=false npm run step -- 05.';
const unlockedNote = 'FLASK_SESSION_LOCK=false: requests of one session overlap, as in step 04.';

function lockPanel(app: Flask<SessionLockConfig>, locked: boolean): InspectorPanel {
  const title = 'The session lock';
  if (!locked)
    return {
      title,
      rows: [['SESSION_LOCK', 'off']],
      note: "Concurrent requests of one session can lose each other's changes.",
    };
  return {
    title,
    rows: [
      ['SESSION_LOCK', 'on: one request of a session at a time'],
      ['lease', `${app.config.SESSION_LOCK_LEASE_MS} ms, renewed before each write (SESSION_LOCK_LEASE_MS)`],
      ['longest wait', `${app.config.SESSION_LOCK_WAIT_MS} ms, then a 503 (SESSION_LOCK_WAIT_MS)`],
    ],
    note: 'A new visitor has no session yet, and so takes no lock.',
  };
}
