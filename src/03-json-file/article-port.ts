/**
 * The article's step-3 code (§7–9, 自定义 session 存储), ported line by line from Python. Its
 * flaws are kept on purpose so that tests can show them; each is marked `flaw N` (the numbers of
 * lessons/03-json-file.md). Do not copy this file into a service: json-file-session.ts is the fix.
 */
import { randomUUID } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { Flask } from '../01-raw-http/app.ts';
import type { Request } from '../01-raw-http/request.ts';
import type { Response } from '../01-raw-http/response.ts';
import { Session, type SessionData } from '../01-raw-http/session.ts';
import { SecureCookieSessionInterface } from '../02-signed-cookie/secure-cookie-interface.ts';
import { SessionInterface } from '../02-signed-cookie/session-interface.ts';
import type { JsonFileConfig } from './config.ts';
import type { SessionFileSystem } from './file-system.ts';
import type { FlaskWithFolders } from './flask-app.ts';

/** The article's `SecureFileSession(CallbackDict, SessionMixin)`: a dict with a `sid`. */
export class SecureFileSession extends Session {
  readonly sid: string;

  constructor(initial: SessionData | null, sid: string, permanent?: number) {
    super(initial ?? {});
    this.sid = sid;
    // Python's `self.permanent = permanent` goes through SessionMixin's setter: `_permanent = True`.
    if (permanent) this.permanent = Boolean(permanent);
    this.modified = false;
  }
}

/** The article's `NewSessionInterface`: "我们使用uuid作为签名，省略校验过程" (a uuid as the signature, no check). */
abstract class NewSessionInterface extends SessionInterface {
  protected generateSid(): string {
    return randomUUID();
  }
}

/** What the port needs besides the app: a clock (ms) and the file system, both replaceable in tests. */
export interface ArticlePortOptions {
  now?: () => number;
  fs?: SessionFileSystem;
}

/** The article's `JsonFileSessionInterface`, flaws and all. */
export class ArticleJsonFileSessionInterface extends NewSessionInterface {
  readonly app: FlaskWithFolders<JsonFileConfig> | null;
  path = '';
  permanent = 0;
  val: Map<string, SessionData> | undefined;
  readonly #fs: SessionFileSystem;

  constructor(app?: FlaskWithFolders<JsonFileConfig>, options: ArticlePortOptions = {}) {
    super(options);
    this.#fs = options.fs ?? fsp;
    this.app = app ?? null;
    if (app) this.initApp(app);
  }

  /** 替换app的session_interface属性: installs this interface, or step 02's cookie one. */
  initApp(app: FlaskWithFolders<JsonFileConfig>): void {
    app.sessionInterface = this.getInterface(app);
  }

  protected getInterface(app: FlaskWithFolders<JsonFileConfig>): SessionInterface {
    const config = { ...app.config };
    if (config.SESSION_TYPE === 'file') {
      if (!config.MY_SESSION_PATH) return new SecureCookieSessionInterface();
      this.path = app.staticFolder + config.MY_SESSION_PATH; // flaw 1: served by /static/
      this.permanent = config.PERMANENT_SESSION_LIFETIME; // flaw 8: SESSION_USE_SIGNER is never read
      return this;
    }
    return new SecureCookieSessionInterface();
  }

  // #region open-session
  /** 从文件中获取session数据: reads the whole file and looks the cookie's sid up. */
  async openSession(app: Flask, request: Request): Promise<SecureFileSession> {
    let sid = request.cookies.get(app.config.SESSION_COOKIE_NAME);
    const permanent = this.time() + this.permanent;
    if (!sid) {
      sid = this.generateSid();
      return new SecureFileSession(null, sid, permanent);
    }
    const v = await this.#fs.readFile(this.path, 'utf8'); // flaw 7: no file yet → ENOENT → 500
    if (!v) return new SecureFileSession(null, sid, permanent); // flaw 2: the client's sid is adopted
    let val: Map<string, SessionData>;
    try {
      val = new Map(Object.entries(JSON.parse(v) as Record<string, SessionData>));
    } catch (error) {
      app.logger.warn(`配置参数错误：${String(error)}`); // flaw 4: this.val (or nothing) overwrites the file next
      return new SecureFileSession(null, sid, permanent);
    }
    this.val = val; // flaw 3: one copy shared by every request, replaced by whoever read last
    const data = val.get(sid);
    if (!data) return new SecureFileSession(null, sid, permanent); // flaw 2
    // now + lifetime - (saved + lifetime) > lifetime, i.e. expired. flaw 5: the entry stays in the file.
    if (permanent - int(data['permanent']) > this.permanent)
      return new SecureFileSession(null, sid, permanent);
    return new SecureFileSession(data, sid);
  }
  // #endregion open-session

  // #region save-session
  /** 保存session信息: merges this session into `this.val` and rewrites the whole file. */
  async saveSession(app: Flask, session: Session, response: Response): Promise<void> {
    const domain = this.getCookieDomain(app);
    const path = this.getCookiePath(app);
    if (session.size === 0) {
      // flaw 9: logout deletes the cookie only; the entry stays in the file, and a copy of the cookie still logs in.
      if (session.modified) response.deleteCookie(app.config.SESSION_COOKIE_NAME, { domain, path });
      return;
    }
    if (!this.shouldSetCookie(app, session)) return;
    const httpOnly = this.getCookieHttpOnly(app);
    const secure = this.getCookieSecure(app);
    const expires = this.getExpirationTime(app, session);
    const sid = (session as SecureFileSession).sid;
    session.update({ permanent: this.time() + this.permanent }); // flaw 6: the expiry lives in the user's data
    if (this.val instanceof Map) this.val.set(sid, session.toJSON());
    else this.val = new Map([[sid, session.toJSON()]]); // flaw 3: after a restart, this one session replaces the file
    // flaw 4: truncate and rewrite in place; a crash or a reader in between sees a torn file.
    await this.#fs.writeFile(this.path, JSON.stringify(Object.fromEntries(this.val)), 'utf8');
    response.setCookie(app.config.SESSION_COOKIE_NAME, sid, { expires, httpOnly, domain, path, secure }); // flaw 8: unsigned
  }
  // #endregion save-session

  /** Python's `int(time.time())`. */
  private time(): number {
    return Math.trunc(this.now() / 1000);
  }
}

/** Python's `int(x)` on a JSON value: a missing or non-numeric stamp raises, as in the article. */
function int(value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`int() argument must be a number, not ${typeof value}`);
  return Math.trunc(value);
}
