/**
 * The session object: a dict that notices when it is changed, like Werkzeug's `CallbackDict`
 * under Flask's sessions. Data lives in a `Map`, so a key such as `__proto__` is plain data and
 * can never reach an object's prototype.
 */
export type SessionData = Record<string, unknown>;

// #region callback-dict
/** A string-keyed dict whose mutations set `modified`: Werkzeug's `CallbackDict` plus Flask's `SessionMixin`. */
export class Session {
  readonly #data = new Map<string, unknown>();
  /** Set by every mutation; nested changes (`session.get('cart').n++`) are not seen. */
  modified = false;
  /** Set when the request touched the session through the `session` proxy. */
  accessed = false;
  /** Flask's `SessionMixin.new`: Flask's own interface never sets it; steps 03 and 04 set it when the sid was never stored. */
  new = false;

  constructor(initial: Iterable<[string, unknown]> | SessionData = []) {
    const entries = Symbol.iterator in initial ? initial : Object.entries(initial);
    for (const [key, value] of entries as Iterable<[string, unknown]>) this.#data.set(key, value);
  }

  /** Werkzeug's `on_update` hook: called after every change. */
  protected onUpdate(): void {
    this.modified = true;
  }
  // #endregion callback-dict

  get(key: string): unknown;
  get<T>(key: string, fallback: T): unknown;
  get(key: string, fallback?: unknown): unknown {
    return this.#data.has(key) ? this.#data.get(key) : fallback;
  }

  set(key: string, value: unknown): this {
    this.#data.set(key, value);
    this.onUpdate();
    return this;
  }

  /** Python's `dict.setdefault`: store `value` only if `key` is missing; return what is stored. */
  // Werkzeug's UpdateDictMixin: setdefault, pop and del count as a change only when they change
  // something, so a second visit to /test1/ sends no new cookie.
  setdefault<T>(key: string, value: T): unknown {
    if (!this.#data.has(key)) {
      this.#data.set(key, value);
      this.onUpdate();
    }
    return this.#data.get(key);
  }

  pop(key: string, fallback?: unknown): unknown {
    if (!this.#data.has(key)) return fallback;
    const value = this.#data.get(key);
    this.#data.delete(key);
    this.onUpdate();
    return value;
  }

  delete(key: string): boolean {
    const existed = this.#data.delete(key);
    if (existed) this.onUpdate();
    return existed;
  }

  clear(): void {
    this.#data.clear();
    this.onUpdate();
  }

  update(values: Iterable<[string, unknown]> | SessionData): void {
    const entries = Symbol.iterator in values ? values : Object.entries(values);
    for (const [key, value] of entries as Iterable<[string, unknown]>) this.#data.set(key, value);
    this.onUpdate();
  }

  /** Flask's `SessionMixin.permanent`, stored in the data as `_permanent`. */
  get permanent(): boolean {
    return this.#data.get('_permanent') === true;
  }

  set permanent(value: boolean) {
    this.set('_permanent', Boolean(value));
  }

  has(key: string): boolean {
    return this.#data.has(key);
  }

  keys(): string[] {
    return [...this.#data.keys()];
  }

  entries(): Array<[string, unknown]> {
    return [...this.#data.entries()];
  }

  get size(): number {
    return this.#data.size;
  }

  /** Python's `dict(session)`: a plain object with no prototype, safe for any key. */
  toJSON(): SessionData {
    const plain = Object.create(null) as SessionData;
    for (const [key, value] of this.#data) plain[key] = value;
    return plain;
  }
}
