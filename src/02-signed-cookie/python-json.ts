/**
 * JSON exactly as Python's `json.dumps(v, sort_keys=True, ensure_ascii=True,
 * separators=(",", ":"))` writes it, which is what Flask puts in its cookie, and a parser that
 * reads it back without losing big integers or touching any prototype.
 */
import { isDict, dictEntries } from './dict.ts';

/** What JSON can carry: Python's int beyond 2^53 is a bigint, a dict is a plain object or Map. */
export type JsonValue =
  null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** Python's `json.dumps` with Flask's settings: sorted keys, ASCII only, no spaces. */
export function dumps(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value !== 'object')
    throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
  if (seen.has(value)) throw new TypeError('Circular reference detected');
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item) => write(item, seen)).join(',')}]`;
    if (!isDict(value))
      throw new TypeError(`Object of type ${value.constructor?.name ?? 'Object'} is not JSON serializable`);
    const entries = dictEntries(value).sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([key, item]) => `${quote(key)}:${write(item, seen)}`).join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

const shortEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Python's `ensure_ascii` string: printable ASCII stays, the rest is `\uxxxx` (lowercase hex). */
function quote(text: string): string {
  // JS strings are UTF-16, so an astral character is already the surrogate pair Python writes.
  return `"${text.replace(/["\\]|[^\x20-\x7e]/g, (char) => shortEscapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Python compares `str` by code point; JS `<` compares UTF-16 units (astral vs U+E000–U+FFFF differ). */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Where they first differ, step back onto a shared high surrogate, so whole pairs are compared.
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) i--;
  // A string that ran out sorts first (-1 is below every code point).
  return (a.codePointAt(i) ?? -1) - (b.codePointAt(i) ?? -1);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * A JS number as Python writes it. Safe integers are Python ints; any other number is a
 * Python float: shortest repr, `.0` kept, exponent form below 1e-4 and from 1e16 (`1e-05`).
 */
export function pythonNumber(value: number): string {
  // Python writes bare NaN/Infinity, which no other JSON reader accepts; this project refuses.
  if (!Number.isFinite(value))
    throw new TypeError(`Out of range float values are not JSON compliant: ${value}`);
  if (Object.is(value, -0)) return '-0.0';
  if (Number.isSafeInteger(value)) return String(value);
  // toExponential() gives the shortest digits that round-trip, as Python's repr does.
  const [mantissa = '', exp = '0'] = value.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16)
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  const sign = value < 0 ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  return `${sign}${digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')}.${digits.slice(exponent + 1) || '0'}`;
}

export { loads } from './python-json-parse.ts';
