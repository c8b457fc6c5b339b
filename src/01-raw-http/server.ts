import { Flask } from './app.ts';
import type { FlaskConfig } from './config.ts';
import { request } from './context.ts';
import { addCrossOriginProtection } from './cross-origin.ts';
import { addCartRoute, addStandardRoutes, text } from './demo-routes.ts';
import { PlainCookieSessionInterface } from './plain-cookie-session.ts';
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
  return app;
}

function addVisitCounter(app: Flask): void {
  app.get('/visits', (_, req) => {
    const previous = Number.parseInt(req.cookies.get('visits') ?? '0', 10);
    const visits = (Number.isSafeInteger(previous) && previous >= 0 ? previous : 0) + 1;
    const response = text(`You have been here ${visits} time${visits === 1 ? '' : 's'}.`);
    response.setCookie('visits', String(visits), { httpOnly: true, sameSite: 'Lax' });
    return response;
  });
}

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
