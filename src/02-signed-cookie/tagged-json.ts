/**
 * Flask's `TaggedJSONSerializer` (flask/json/tag.py): JSON that also carries tuples, bytes,
 * Markup, UUIDs and datetimes, by wrapping them in one-key objects whose key starts with a space.
 */
import { dictEntries, dictFromEntries, isDict } from './dict.ts';
import { dumps, loads } from './python-json.ts';
import { Markup, Tuple, UUID } from './python-types.ts';

/** One tag: which JS values it takes, how it writes them, how it reads them back. */
interface Tag {
  readonly key: string;
  check(value: unknown): boolean;
  toJson(value: unknown, tag: (child: unknown) => unknown): unknown;
  toJs(value: unknown): unknown;
}

// Order matters, as in Flask's default_tags: the first tag whose check passes wins.
const tags: readonly Tag[] = [
  {
    key: ' di', // a dict that would be mistaken for a tag: {" t": 1} is stored as {" di": {" t__": 1}}
    check: (v) => isDict(v) && looksTagged(v),
    toJson: (v, tag) =>
      dictFromEntries(dictEntries(v as Record<string, unknown>).map(([k, x]) => [`${k}__`, tag(x)])),
    toJs: (v) => {
      const [key, value] = onlyEntry(v);
      return dictFromEntries([[key.slice(0, -2), value]]);
    },
  },
  {
    key: '',
    check: isDict,
    toJson: (v, tag) =>
      dictFromEntries(dictEntries(v as Record<string, unknown>).map(([k, x]) => [k, tag(x)])),
    toJs: (v) => v,
  },
  {
    key: ' t',
    check: (v) => v instanceof Tuple,
    toJson: (v, tag) => (v as Tuple).items.map(tag),
    toJs: (v) => new Tuple(asArray(v)),
  },
  { key: '', check: Array.isArray, toJson: (v, tag) => (v as unknown[]).map(tag), toJs: (v) => v },
  {
    key: ' b',
    check: (v) => v instanceof Uint8Array,
    toJson: (v) => Buffer.from(v as Uint8Array).toString('base64'),
    toJs: (v) => bytesFrom(v),
  },
  {
    key: ' m',
    check: hasHtml,
    toJson: (v) => String((v as Markup).__html__()),
    toJs: (v) => new Markup(asString(v)),
  },
  {
    key: ' u',
    check: (v) => v instanceof UUID,
    toJson: (v) => (v as UUID).hex,
    toJs: (v) => new UUID(asString(v)),
  },
  {
    key: ' d',
    check: (v) => v instanceof Date,
    toJson: (v) => httpDate(v as Date),
    toJs: (v) => parseHttpDate(asString(v)),
  },
];
const tagKeys = new Set(tags.map((t) => t.key).filter(Boolean));

// #region tag-walk
/** Flask's `TaggedJSONSerializer.tag`: the value as plain JSON data, tags applied. */
export function tag(value: unknown, path = new Set<object>()): unknown {
  // Every tag takes an object: strings, numbers, booleans and null are JSON as they are.
  if (typeof value !== 'object' || value === null) return value;
  const t = tags.find((x) => x.check(value));
  if (!t) return value;
  // Python's json raises "Circular reference detected"; recursing forever would overflow the stack.
  if (path.has(value as object)) throw new TypeError('Circular reference detected');
  path.add(value as object);
  const json = t.toJson(value, (child) => tag(child, path));
  path.delete(value as object);
  return t.key ? dictFromEntries([[t.key, json]]) : json;
}

/** Flask 3's `_untag_scan`: children first, then a one-key object with a tag key is converted. */
export function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (!isDict(value)) return value;
  const entries = dictEntries(value).map(([k, v]): [string, unknown] => [k, untag(v)]);
  const t = entries.length === 1 ? tags.find((x) => x.key && x.key === entries[0]![0]) : undefined;
  return t ? t.toJs(entries[0]![1]) : dictFromEntries(entries);
}
// #endregion tag-walk

/** Flask's `session_json_serializer.dumps`: tagged, then Python-compatible JSON. */
export function dumpsTagged(value: unknown): string {
  return dumps(tag(value));
}

/** Flask's `session_json_serializer.loads`. Throws on bad JSON or a malformed tag. */
export function loadsTagged(text: string): unknown {
  return untag(loads(text));
}

/** Werkzeug's `http_date`: IMF-fixdate, whole seconds, always GMT. */
function httpDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('Invalid Date cannot be stored');
  return date.toUTCString();
}

const imfFixdate =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Werkzeug's `parse_date` for the form Flask writes; anything else is null, as Werkzeug returns None. */
function parseHttpDate(text: string): Date | null {
  const date = imfFixdate.test(text) ? new Date(Date.parse(text)) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function looksTagged(dict: Record<string, unknown> | Map<string, unknown>): boolean {
  const keys = dict instanceof Map ? [...dict.keys()] : Object.keys(dict);
  return keys.length === 1 && tagKeys.has(keys[0]!);
}

function hasHtml(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { __html__?: unknown }).__html__ === 'function'
  );
}

function onlyEntry(value: unknown): [string, unknown] {
  const first = isDict(value) ? dictEntries(value)[0] : undefined;
  if (!first) throw new TypeError('" di" must hold an object with one key');
  return first;
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TypeError('" t" must hold a list');
  return value;
}

function asString(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('a tag value must be a string here');
  return value;
}

function bytesFrom(value: unknown): Uint8Array {
  const text = asString(value);
  // Python's b64decode accepts only the standard alphabet with correct padding here.
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text))
    throw new TypeError('" b" is not base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Flask's `session_json_serializer`, in the shape `URLSafeTimedSerializer` takes. */
export const sessionJsonSerializer = { dumps: dumpsTagged, loads: loadsTagged } as const;
