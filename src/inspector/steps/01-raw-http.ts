import type { Flask } from '../../01-raw-http/app.ts';
import type { Request } from '../../01-raw-http/request.ts';
import { tamperAction, type InspectorOptions, type InspectorPanel } from '../inspector.ts';

/** Step 01's page: its buttons, and its two plain cookies as anyone can read them. */
export function rawHttpPage(app: Flask): InspectorOptions {
  return {
    title: 'Step 01 · raw HTTP: state in plain, unsigned cookies',
    actions: [
      {
        label: 'Log in',
        method: 'POST',
        path: '/login',
        field: { name: 'name', value: 'alice' },
        help: 'A plain "user" cookie: the server believes it.',
      },
      { label: 'Count', method: 'GET', path: '/counter', help: 'count + 1 in the session.' },
      {
        label: 'Add to cart',
        method: 'POST',
        path: '/cart',
        field: { name: 'item', value: 'apple' },
        help: 'Appends to a list; sets session.modified.',
      },
      tamperAction,
      { label: 'Log out', method: 'POST', path: '/logout', help: 'Deletes the "user" cookie.' },
    ],
    describe: ({ request: req }) => [plainCookiesPanel(req, app.config.SESSION_COOKIE_NAME)],
    notes: [
      'Step 01 has no expiry: its cookies live until the browser closes. Steps 02–05 honour PERMANENT_SESSION_LIFETIME.',
    ],
  };
}

function plainCookiesPanel(req: Request, cookieName: string): InspectorPanel {
  const value = req.cookies.get(cookieName);
  return {
    title: 'Plain cookies: readable and writable by anyone',
    rows: [
      ['user cookie', req.cookies.get('user') ?? '(none)'],
      [`${cookieName} cookie`, value ?? '(none)'],
      [
        'base64url-decoded',
        value === undefined ? '(none)' : Buffer.from(value, 'base64url').toString('utf8'),
      ],
    ],
    note: 'Nothing is signed: change either cookie and the server believes the new value.',
  };
}
