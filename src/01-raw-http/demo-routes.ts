import type { Flask } from './app.ts';
import { session } from './context.ts';
import { Response } from './response.ts';

/** Plain text, so a name a visitor chose is never interpreted as HTML. */
export function text(body: string, status = 200): Response {
  return new Response(`${body}\n`, { status, mimetype: 'text/plain; charset=utf-8' });
}

// #region standard-routes
/**
 * The routes every step's demo server has: the article's `/test1/`, the session as JSON,
 * and `/counter`, the benchmark workload (load, change, save on every request).
 */
export function addStandardRoutes(app: Flask): void {
  app.get('/test1/', () => {
    session.setdefault('name', 'xiaoming');
    return 'OK';
  });
  app.get('/session', () => Response.json(session.toJSON()));
  app.get('/counter', () => {
    const stored = session.get('count');
    const count = (Number.isSafeInteger(stored) ? (stored as number) : 0) + 1;
    session.set('count', count);
    return text(String(count));
  });
}
// #endregion standard-routes
