import { Flask } from '../01-raw-http/app.ts';
import { hasSecretKey, type FlaskConfig } from '../01-raw-http/config.ts';
import { request, session } from '../01-raw-http/context.ts';
import { addCrossOriginProtection } from '../01-raw-http/cross-origin.ts';
import { addStandardRoutes, text } from '../01-raw-http/demo-routes.ts';
import { addInspector, tamperAction, type InspectorPanel } from '../inspector/inspector.ts';
import type { Request } from '../01-raw-http/request.ts';
import { loopbackHosts } from '../01-raw-http/trusted-hosts.ts';
import { dissectCookie } from './cookie-anatomy.ts';
import { devKey } from './dev-key.ts';
import { BadData, SignatureExpired } from './errors.ts';
import { SecureCookieSessionInterface } from './secure-cookie-interface.ts';

/** Builds step 02's demo app: Flask's signed-cookie session. `warn` receives the dev-key warning. */
export function buildApp(config: Partial<FlaskConfig> = {}, warn: (message: string) => void = console.error): Flask {
  const app = new Flask({ SESSION_COOKIE_SAMESITE: 'Lax', TRUSTED_HOSTS: [...loopbackHosts], ...config, SECRET_KEY: hasSecretKey(config) ? config.SECRET_KEY : devKey(warn) });
  app.sessionInterface = new SecureCookieSessionInterface();
  addCrossOriginProtection(app);
  addStandardRoutes(app);
  addLogin(app);
  addCart(app);
  addCookieAnatomy(app);
  addStepInspector(app);
  return app;
}

// #region login
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
// #endregion login

// #region cart
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
// #endregion cart

// #region anatomy
function addCookieAnatomy(app: Flask): void {
  app.get('/cookie', (_, req) => {
    const cookie = req.cookies.get(app.config.SESSION_COOKIE_NAME);
    if (!cookie) return text('No session cookie yet. Try: curl -c jar http://127.0.0.1:5000/test1/ then -b jar.');
    try {
      const parts = dissectCookie(cookie);
      const verdict = verify(app, cookie);
      const verdictText = { valid: 'valid', expired: 'valid but EXPIRED: older than PERMANENT_SESSION_LIFETIME', invalid: "NOT valid for this server's key" };
      return text([
        `payload:   ${parts.payload}${parts.compressed ? '  (zlib-compressed)' : ''}`,
        `  json:    ${parts.json}`,
        `timestamp: ${cookie.split('.').at(-2)} = ${parts.timestamp} = ${new Date(parts.timestamp * 1000).toISOString()}`,
        `signature: ${parts.signature} (${parts.signatureBytes}-byte HMAC-SHA1): ${verdictText[verdict]}`,
      ].join('\n'));
    } catch (error) {
      if (error instanceof BadData) return text(`Not a readable session cookie: ${error.message}`, 400);
      throw error;
    }
  });
}
// #endregion anatomy

/** What `openSession` would make of the cookie's signature and age. */
function verify(app: Flask, cookie: string): 'valid' | 'expired' | 'invalid' {
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

// #region inspector
function addStepInspector(app: Flask): void {
  addInspector(app, {
    title: "Step 02 · signed cookie: Flask's default session",
    actions: [
      { label: 'Log in', method: 'POST', path: '/login', field: { name: 'name', value: 'alice' }, help: 'No Expires: gone when the browser closes.' },
      { label: 'Log in, remember me', method: 'POST', path: '/login', field: { name: 'name', value: 'alice' }, extra: { remember: '1' }, help: `Permanent: Expires in ${app.config.PERMANENT_SESSION_LIFETIME} s.` },
      { label: 'Count', method: 'GET', path: '/counter', help: 'count + 1: a new signature.' },
      { label: 'Add to cart', method: 'POST', path: '/cart', field: { name: 'item', value: 'apple' }, help: 'Appends to a list; sets session.modified.' },
      { ...tamperAction, help: 'One letter changed: the signature fails.' },
      { label: 'Log out', method: 'POST', path: '/logout', help: 'Empties the session: cookie deleted.' },
    ],
    describe: ({ request: req }) => [signedCookiePanel(app, req)],
    notes: ['Watch a session expire: restart with FLASK_PERMANENT_SESSION_LIFETIME=10 npm run step -- 02, press "Log in, remember me", wait, then "Refresh view". Every request to a permanent session slides its expiry forward (SESSION_REFRESH_EACH_REQUEST).'],
  });
}

const panelVerdict = { valid: "yes, with this server's key", expired: 'signed by this server, but EXPIRED: the server ignores it', invalid: 'NO: the server ignores this cookie' };

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
        ['verifies', panelVerdict[verify(app, cookie)]],
      ],
      note: 'The payload is only base64: the signature stops changes, it hides nothing.',
    };
  } catch (error) {
    if (error instanceof BadData) return { title, rows: [['cookie', cookie], ['readable', `no: ${error.message}`]] };
    throw error;
  }
}
// #endregion inspector
