import type { Flask } from '../../01-raw-http/app.ts';
import type { Request } from '../../01-raw-http/request.ts';
import { dissectCookie } from '../../02-signed-cookie/cookie-anatomy.ts';
import { BadData } from '../../02-signed-cookie/errors.ts';
import { verifyCookie } from '../../02-signed-cookie/server.ts';
import { tamperAction, type InspectorOptions, type InspectorPanel } from '../inspector.ts';

/** Step 02's page: its buttons, and the signed cookie taken apart. */
export function signedCookiePage(app: Flask): InspectorOptions {
  return {
    title: "Step 02 · signed cookie: Flask's default session",
    actions: [
      {
        label: 'Log in',
        method: 'POST',
        path: '/login',
        field: { name: 'name', value: 'alice' },
        help: 'No Expires: gone when the browser closes.',
      },
      {
        label: 'Log in, remember me',
        method: 'POST',
        path: '/login',
        field: { name: 'name', value: 'alice' },
        extra: { remember: '1' },
        help: `Permanent: Expires in ${app.config.PERMANENT_SESSION_LIFETIME} s.`,
      },
      { label: 'Count', method: 'GET', path: '/counter', help: 'count + 1: a new signature.' },
      {
        label: 'Add to cart',
        method: 'POST',
        path: '/cart',
        field: { name: 'item', value: 'apple' },
        help: 'Appends to a list; sets session.modified.',
      },
      { ...tamperAction, help: 'One letter changed: the signature fails.' },
      { label: 'Log out', method: 'POST', path: '/logout', help: 'Empties the session: cookie deleted.' },
    ],
    describe: ({ request: req }) => [signedCookiePanel(app, req)],
    notes: [
      'Watch a session expire: restart with FLASK_PERMANENT_SESSION_LIFETIME=10 npm run step -- 02, press "Log in, remember me", wait, then "Refresh view". Every request to a permanent session slides its expiry forward (SESSION_REFRESH_EACH_REQUEST).',
    ],
  };
}

const panelVerdict = {
  valid: "yes, with this server's key",
  expired: 'signed by this server, but EXPIRED: the server ignores it',
  invalid: 'NO: the server ignores this cookie',
};

/** The session cookie taken apart with this step's own decoder, and checked against this server's key. */
function signedCookiePanel(app: Flask, req: Request): InspectorPanel {
  const title = 'Signed cookie anatomy: readable by anyone, changeable by no one';
  const cookie = req.cookies.get(app.config.SESSION_COOKIE_NAME);
  if (!cookie) return { title, rows: [['cookie', '(none yet)']] };
  try {
    const parts = dissectCookie(cookie);
    return {
      title,
      rows: [
        ['payload', `${parts.payload}${parts.compressed ? ' (zlib-compressed)' : ''}`],
        ['decoded', parts.json],
        ['timestamp', `${new Date(parts.timestamp * 1000).toISOString()} (${parts.timestamp})`],
        ['signature', `${parts.signature} (${parts.signatureBytes}-byte HMAC-SHA1)`],
        ['verifies', panelVerdict[verifyCookie(app, cookie)]],
      ],
      note: 'The payload is only base64: the signature stops changes, it hides nothing.',
    };
  } catch (error) {
    if (error instanceof BadData)
      return {
        title,
        rows: [
          ['cookie', cookie],
          ['readable', `no: ${error.message}`],
        ],
      };
    throw error;
  }
}
