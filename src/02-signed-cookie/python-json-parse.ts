/**
 * A JSON reader for what Python's `json.dumps` writes. Unlike `JSON.parse` it keeps integers
 * beyond 2^53 exact (as bigint); like it, an object key `__proto__` becomes an own property.
 */
import { dictFromEntries } from './dict.ts';
import type { JsonValue } from './python-json.ts';

const maxDepth = 1000; // Python's default recursion limit stops deeper nesting too.
const number = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const whitespace = /[ \t\n\r]*/y;
const plainChars = /[^"\\\x00-\x1f]*/y;
const literals = [
  ['null', null],
  ['true', true],
  ['false', false],
] as const;
const escapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Parses JSON text; NaN and Infinity, which Python would accept, are refused. */
export function loads(text: string): JsonValue {
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.at < text.length) parser.fail('Extra data');
  return value;
}

class Parser {
  at = 0;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  fail(message: string): never {
    throw new SyntaxError(`${message}: char ${this.at}`);
  }

  skipSpace(): void {
    whitespace.lastIndex = this.at;
    whitespace.exec(this.text);
    this.at = whitespace.lastIndex;
  }

  value(depth: number): JsonValue {
    if (depth > maxDepth) this.fail('Nested too deeply');
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    for (const [word, value] of literals) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    return this.number();
  }

  number(): number | bigint {
    number.lastIndex = this.at;
    const match = number.exec(this.text);
    if (!match) this.fail('Expecting value');
    this.at = number.lastIndex;
    if (match[1] === undefined && match[2] === undefined) {
      // A double holds any integer of up to 15 digits exactly; only longer ones need the bigint
      // check. `|| 0`: Python's int has no -0, so "-0" reads as 0.
      if (match[0].length <= 15) return Number(match[0]) || 0;
      const big = BigInt(match[0]);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(big)
        : big;
    }
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.fail('Number out of range');
    return value;
  }

  string(): string {
    let out = '';
    this.at++;
    for (;;) {
      out += this.plainRun();
      const char = this.text[this.at++];
      if (char === undefined) this.fail('Unterminated string');
      if (char === '"') return out;
      if (char < ' ') this.fail('Invalid control character');
      if (char !== '\\') out += char;
      else out += this.escape();
    }
  }

  /** The characters up to the next quote, backslash or control character, taken in one slice. */
  plainRun(): string {
    plainChars.lastIndex = this.at;
    plainChars.exec(this.text);
    const run = this.text.slice(this.at, plainChars.lastIndex);
    this.at = plainChars.lastIndex;
    return run;
  }

  escape(): string {
    const char = this.text[this.at++] ?? '';
    if (char in escapes) return escapes[char]!;
    const hex = this.text.slice(this.at, this.at + 4);
    if (char !== 'u' || !/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\escape');
    this.at += 4;
    return String.fromCharCode(parseInt(hex, 16));
  }

  array(depth: number): JsonValue[] {
    const items: JsonValue[] = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') return (this.at++, items);
    for (;;) {
      items.push(this.value(depth + 1));
      if (this.separator(']')) return items;
    }
  }

  object(depth: number): { [key: string]: JsonValue } {
    const entries: Array<[string, JsonValue]> = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') return (this.at++, {});
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.at++] !== ':') this.fail("Expecting ':' delimiter");
      entries.push([key, this.value(depth + 1)]);
      if (this.separator('}')) return dictFromEntries(entries) as { [key: string]: JsonValue };
    }
  }

  /** After an item: `,` means more, `close` means done. */
  separator(close: string): boolean {
    this.skipSpace();
    const char = this.text[this.at++];
    if (char === close) return true;
    if (char !== ',') this.fail(`Expecting ',' delimiter`);
    return false;
  }
}
