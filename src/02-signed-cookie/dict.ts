/**
 * What counts as a Python dict on the JS side: a plain object (any prototype-less object
 * included) or a Map with string keys. Reading and building them never goes through `obj[key] =`,
 * so a key named `__proto__` stays data.
 */

/** A plain object or a Map: the JS shapes that serialize as a JSON object. */
export function isDict(value: unknown): value is Record<string, unknown> | Map<string, unknown> {
  if (value instanceof Map) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The entries of a dict; Map keys must be strings, as JSON object keys are. */
export function dictEntries(dict: Record<string, unknown> | Map<string, unknown>): Array<[string, unknown]> {
  if (!(dict instanceof Map)) return Object.entries(dict);
  return [...dict].map(([key, value]) => {
    if (typeof key !== 'string') throw new TypeError(`keys must be str, not ${typeof key}`);
    return [key, value];
  });
}

/** A plain object from entries, defining each key as an own property (`__proto__` included). */
export function dictFromEntries(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  // Object.fromEntries defines each key (CreateDataProperty); `dict[key] = value` with the key
  // "__proto__" would replace the prototype instead.
  return Object.fromEntries(entries) as Record<string, unknown>;
}
