import type { Flask } from './app.ts';
import { request, session } from './context.ts';
import { Response } from './response.ts';

/** Plain text, so a name a visitor chose is never interpreted as HTML. */
export function text(body: string, status = 200): Response {
  return new Response(`${body}\n`, { status, mimetype: 'text/plain; charset=utf-8' });
}

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

/** `POST /cart`: appends an item to a list in the session, the change a session cannot see by itself. */
export function addCartRoute(app: Flask): void {
  app.post('/cart', () => {
    const item = request.form.get('item')?.trim() ?? '';
    if (item.length < 1 || item.length > 40)
      return text('Send an item of 1 to 40 characters: curl -d item=apple', 400);
    if (!Array.isArray(session.get('cart'))) session.set('cart', []);
    const cart = session.get('cart') as unknown[];
    if (cart.length >= 20) return text('The cart is full (20 items).', 400);
    cart.push(item);
    // push() changed the list inside the session, not the session: without this line the
    // change is not saved (Flask's docs: set `session.modified = True` yourself).
    session.modified = true;
    return text(`Cart: ${cart.join(', ')}`);
  });
}
