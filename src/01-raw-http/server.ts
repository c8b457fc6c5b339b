import { Flask } from './app.ts';
import type { FlaskConfig } from './config.ts';
import { request } from './context.ts';
import { addCrossOriginProtection } from './cross-origin.ts';
import { addCartRoute, addStandardRoutes, text } from './demo-routes.ts';
import { addInspector, tamperAction, type InspectorPanel } from '../inspector/inspector.ts';
import { PlainCookieSessionInterface } from './plain-cookie-session.ts';
import type { Request } from './request.ts';
import { loopbackHosts } from './trusted-hosts.ts';

/** Builds step 01's demo app: state in plain cookies, which is why sessions need more. */
export function buildApp(config: Partial<FlaskConfig> = {}): Flask {
  const app = new Flask({ SESSION_COOKIE_SAMESITE: 'Lax', TRUSTED_HOSTS: [...loopbackHosts], ...config });
  app.sessionInterface = new PlainCookieSessionInterface();
  addCrossOriginProtection(app);
  addVisitCounter(app);
  addCookieLogin(app);
  addStandardRoutes(app);
  addCartRoute(app);
  addInspector(app, {
    title: 'Step 01 · raw HTTP: state in plain, unsigned cookies',
    actions: [
      { label: 'Log in', method: 'POST', path: '/login', field: { name: 'name', value: 'alice' }, help: 'A plain "user" cookie: the server believes it.' },
      { label: 'Count', method: 'GET', path: '/counter', help: 'count + 1 in the session.' },
      { label: 'Add to cart', method: 'POST', path: '/cart', field: { name: 'item', value: 'apple' }, help: 'Appends to a list; sets session.modified.' },
      tamperAction,
      { label: 'Log out', method: 'POST', path: '/logout', help: 'Deletes the "user" cookie.' },
    ],
    describe: ({ request: req }) => [plainCookiesPanel(req, app.config.SESSION_COOKIE_NAME)],
    notes: ['Step 01 has no expiry: its cookies live until the browser closes. Steps 02–04 honour PERMANENT_SESSION_LIFETIME.'],
  });
  return app;
}

function plainCookiesPanel(req: Request, cookieName: string): InspectorPanel {
  const value = req.cookies.get(cookieName);
  return {
    title: 'Plain cookies: readable and writable by anyone',
    rows: [
      ['user cookie', req.cookies.get('user') ?? '(none)'],
      [`${cookieName} cookie`, value ?? '(none)'],
      ['base64url-decoded', value === undefined ? '(none)' : Buffer.from(value, 'base64url').toString('utf8')],
    ],
    note: 'Nothing is signed: change either cookie and the server believes the new value.',
  };
}

// #region visit-counter
function addVisitCounter(app: Flask): void {
  app.get('/visits', (_, req) => {
    const previous = Number.parseInt(req.cookies.get('visits') ?? '0', 10);
    const visits = (Number.isSafeInteger(previous) && previous >= 0 ? previous : 0) + 1;
    const response = text(`You have been here ${visits} time${visits === 1 ? '' : 's'}.`);
    response.setCookie('visits', String(visits), { httpOnly: true, sameSite: 'Lax' });
    return response;
  });
}
// #endregion visit-counter

// #region cookie-login
// The server believes whatever the `user` cookie says: `curl -b user=admin` is "admin".
function addCookieLogin(app: Flask): void {
  app.post('/login', () => {
    const name = request.form.get('name')?.trim();
    if (!name || name.length > 64) return text('Send a name of 1 to 64 characters: curl -d name=alice', 400);
    const response = text(`Logged in as ${name}.`);
    response.setCookie('user', name, { httpOnly: true, sameSite: 'Lax' });
    return response;
  });
  app.get('/whoami', (_, req) => {
    const user = req.cookies.get('user');
    return text(user ? `You are ${user}.` : 'You are nobody. POST /login first.');
  });
  app.post('/logout', () => {
    const response = text('Logged out.');
    response.deleteCookie('user', { httpOnly: true, sameSite: 'Lax' });
    return response;
  });
}
// #endregion cookie-login
