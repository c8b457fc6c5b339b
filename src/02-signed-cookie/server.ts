import { Flask } from '../01-raw-http/app.ts';
import { hasSecretKey, type FlaskConfig } from '../01-raw-http/config.ts';
import { request, session } from '../01-raw-http/context.ts';
import { addCrossOriginProtection } from '../01-raw-http/cross-origin.ts';
import { addStandardRoutes, text } from '../01-raw-http/demo-routes.ts';
import { loopbackHosts } from '../01-raw-http/trusted-hosts.ts';
import { dissectCookie } from './cookie-anatomy.ts';
import { devKey } from './dev-key.ts';
import { BadData, SignatureExpired } from './errors.ts';
import { SecureCookieSessionInterface } from './secure-cookie-interface.ts';

/** Builds step 02's demo app: Flask's signed-cookie session. `warn` receives the dev-key warning. */
export function buildApp(
  config: Partial<FlaskConfig> = {},
  warn: (message: string) => void = console.error,
): Flask {
  const app = new Flask({
    SESSION_COOKIE_SAMESITE: 'Lax',
    TRUSTED_HOSTS: [...loopbackHosts],
    ...config,
    SECRET_KEY: hasSecretKey(config) ? config.SECRET_KEY : devKey(warn),
  });
  app.sessionInterface = new SecureCookieSessionInterface();
  addCrossOriginProtection(app);
  addStandardRoutes(app);
  addLogin(app);
  addCart(app);
  addCookieAnatomy(app);
  return app;
}

function addLogin(app: Flask): void {
  app.post('/login', () => {
    const name = request.form.get('name')?.trim();
    if (!name || name.length > 64) return text('Send a name of 1 to 64 characters: curl -d name=alice', 400);
    session.clear(); // whatever the visitor carried before logging in does not come along
    session.set('user', name);
    if (request.form.get('remember') === '1') session.permanent = true; // Expires in PERMANENT_SESSION_LIFETIME
    return text(`Logged in as ${name}.`);
  });
  app.get('/whoami', () => {
    const user = session.get('user');
    return text(typeof user === 'string' ? `You are ${user}.` : 'You are nobody. POST /login first.');
  });
  app.post('/logout', () => {
    session.clear();
    return text('Logged out.');
  });
}

// A change inside a stored list is invisible to the session: only /cart says so with `modified`.
function addCart(app: Flask): void {
  const addItem = (markModified: boolean) => () => {
    const item = request.form.get('item') ?? 'apple';
    const cart = session.get('cart');
    if (Array.isArray(cart)) cart.push(item);
    else session.set('cart', [item]);
    if (markModified) session.modified = true;
    return text(`cart: ${JSON.stringify(session.get('cart'))}`);
  };
  app.post('/cart/forgetful', addItem(false));
  app.post('/cart', addItem(true));
}

function addCookieAnatomy(app: Flask): void {
  app.get('/cookie', (_, req) => {
    const cookie = req.cookies.get(app.config.SESSION_COOKIE_NAME);
    if (!cookie)
      return text('No session cookie yet. Try: curl -c jar http://127.0.0.1:5000/test1/ then -b jar.');
    try {
      const parts = dissectCookie(cookie);
      const verdict = verifyCookie(app, cookie);
      const verdictText = {
        valid: 'valid',
        expired: 'valid but EXPIRED: older than PERMANENT_SESSION_LIFETIME',
        invalid: "NOT valid for this server's key",
      };
      return text(
        [
          `payload:   ${parts.payload}${parts.compressed ? '  (zlib-compressed)' : ''}`,
          `  json:    ${parts.json}`,
          `timestamp: ${cookie.split('.').at(-2)} = ${parts.timestamp} = ${new Date(parts.timestamp * 1000).toISOString()}`,
          `signature: ${parts.signature} (${parts.signatureBytes}-byte HMAC-SHA1): ${verdictText[verdict]}`,
        ].join('\n'),
      );
    } catch (error) {
      if (error instanceof BadData) return text(`Not a readable session cookie: ${error.message}`, 400);
      throw error;
    }
  });
}

/** What `openSession` would make of the cookie's signature and age. */
export function verifyCookie(app: Flask, cookie: string): 'valid' | 'expired' | 'invalid' {
  const iface = app.sessionInterface;
  const serializer = iface instanceof SecureCookieSessionInterface ? iface.getSigningSerializer(app) : null;
  if (!serializer) return 'invalid';
  try {
    serializer.signer.unsign(cookie, Math.trunc(app.config.PERMANENT_SESSION_LIFETIME));
    return 'valid';
  } catch (error) {
    if (error instanceof SignatureExpired) return 'expired';
    if (error instanceof BadData) return 'invalid';
    throw error;
  }
}
