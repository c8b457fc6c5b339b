import { Flask } from '../01-raw-http/app.ts';
import { hasSecretKey } from '../01-raw-http/config.ts';
import { currentContext, request, session } from '../01-raw-http/context.ts';
import { addCrossOriginProtection } from '../01-raw-http/cross-origin.ts';
import { addCartRoute, addStandardRoutes, text } from '../01-raw-http/demo-routes.ts';
import { loopbackHosts } from '../01-raw-http/trusted-hosts.ts';
import { devKey } from '../02-signed-cookie/dev-key.ts';
import type { FlaskSessionConfig } from './config.ts';
import { FlaskSession } from './extension.ts';
import { ServerSideSessionInterface } from './server-side-interface.ts';
import { ServerSideSession } from './server-side-session.ts';

/**
 * Builds step 04's demo app: Flask-Session with the backend `SESSION_TYPE` names, filesystem
 * unless told otherwise, so it runs with no server at all. `extension` is closed on shutdown.
 */
export function buildApp(
  config: Partial<FlaskSessionConfig> = {},
  extension = new FlaskSession(),
  warn: (m: string) => void = console.error,
): Flask {
  const merged: Partial<FlaskSessionConfig> = {
    SESSION_COOKIE_SAMESITE: 'Lax',
    TRUSTED_HOSTS: [...loopbackHosts],
    SESSION_TYPE: 'filesystem',
    ...config,
  };
  if (!hasSecretKey(merged) && merged.SESSION_USE_SIGNER) merged.SECRET_KEY = devKey(warn);
  const app = new Flask<FlaskSessionConfig>(merged as FlaskSessionConfig);
  extension.initApp(app);
  addCrossOriginProtection(app);
  addStandardRoutes(app);
  addArticleRoute(app);
  addLogin(app);
  addCartRoute(app);
  return app;
}

// #region article-usage
// The article's task.py: a view that reads `session.get('user', None)` on POST /test.
function addArticleRoute(app: Flask): void {
  app.post('/test', () => {
    const user = session.get('user', null);
    return text(`user: ${user === null ? 'None' : String(user)}`);
  });
}
// #endregion article-usage

// #region login
// Logging in regenerates the sid: a sid planted before login (fixation) is worthless after it.
function addLogin(app: Flask): void {
  app.post('/login', async () => {
    const name = request.form.get('name')?.trim();
    if (!name || name.length > 64) return text('Send a name of 1 to 64 characters: curl -d name=alice', 400);
    await regenerate(app);
    session.set('user', name);
    return text(`Logged in as ${name}.`);
  });
  app.post('/logout', () => {
    session.clear();
    return text('Logged out.');
  });
  app.post('/regenerate', async () => {
    await regenerate(app);
    return text('New session id, same data.');
  });
}
// #endregion login

// `session` is a proxy; the interface needs the session object itself.
async function regenerate(app: Flask): Promise<void> {
  const current = currentContext().session;
  if (app.sessionInterface instanceof ServerSideSessionInterface && current instanceof ServerSideSession) {
    await app.sessionInterface.regenerate(current);
  }
}
