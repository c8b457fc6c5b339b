import type { Flask } from '../01-raw-http/app.ts';
import type { JsonFileConfig } from '../03-json-file/config.ts';
import type { FlaskWithFolders } from '../03-json-file/flask-app.ts';
import type { FlaskSessionConfig } from '../04-flask-session/config.ts';
import type { SessionLockConfig } from '../05-session-lock/config.ts';
import { addInspector, type InspectorOptions } from './inspector.ts';
import { rawHttpPage } from './steps/01-raw-http.ts';
import { signedCookiePage } from './steps/02-signed-cookie.ts';
import { jsonFilePage } from './steps/03-json-file.ts';
import { flaskSessionPage } from './steps/04-flask-session.ts';
import { sessionLockPage } from './steps/05-session-lock.ts';

// Each step's page, by the step's folder; each step's buildApp makes an app of the type its page takes.
const pages: Record<string, (app: Flask) => InspectorOptions> = {
  '01-raw-http': rawHttpPage,
  '02-signed-cookie': signedCookiePage,
  '03-json-file': (app) => jsonFilePage(app as FlaskWithFolders<JsonFileConfig>),
  '04-flask-session': (app) => flaskSessionPage(app as Flask<FlaskSessionConfig>),
  '05-session-lock': (app) => sessionLockPage(app as Flask<SessionLockConfig>),
};

/**
 * Adds the inspector page to the app of the step in `folder` (`02-signed-cookie`), as
 * `npm run step` does: the steps themselves never import the inspector.
 */
export function mountInspector(folder: string, app: Flask): Flask {
  const page = pages[folder];
  if (!page) throw new Error(`no inspector page for ${folder}`);
  addInspector(app, page(app));
  return app;
}
