/**
 * JS stand-ins for the Python types Flask's tagged JSON can carry: `tuple`, `markupsafe.Markup`
 * and `uuid.UUID`. (`bytes` is a `Uint8Array`, `datetime` a `Date`.)
 */

/** Python's `tuple`: a fixed sequence, kept apart from a list so it round-trips as `" t"`. */
export class Tuple {
  readonly items: readonly unknown[];

  constructor(items: Iterable<unknown>) {
    this.items = Object.freeze([...items]);
  }

  [Symbol.iterator](): Iterator<unknown> {
    return this.items[Symbol.iterator]();
  }
}

/** `markupsafe.Markup`: text already safe to insert into HTML. Anything with `__html__` is tagged `" m"`. */
export class Markup {
  readonly html: string;

  constructor(html: string) {
    this.html = html;
  }

  __html__(): string {
    return this.html;
  }

  toString(): string {
    return this.html;
  }
}

/** `uuid.UUID`, stored as 32 lowercase hex digits (Python's `UUID.hex`). */
export class UUID {
  readonly hex: string;

  /** Accepts what Python's `UUID(str)` accepts: hex with optional dashes, braces, `urn:uuid:`. */
  constructor(text: string) {
    const hex = text
      .replace(/^urn:uuid:/i, '')
      .replace(/[{}-]/g, '')
      .toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(hex))
      throw new TypeError(`badly formed hexadecimal UUID string: ${JSON.stringify(text)}`);
    this.hex = hex;
  }

  /** The dashed form, as Python's `str(uuid)`. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
