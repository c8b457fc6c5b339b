import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { dumps, loads } from '../../../02-signed-cookie/python-json.ts';
import { Markup, Tuple, UUID } from '../../../02-signed-cookie/python-types.ts';
import type { tag, untag } from '../../../02-signed-cookie/tagged-json.ts';
import { CheckFailed, show } from '../../expect.ts';
import { NotImplementedError } from '../../not-implemented.ts';
import type { Check, Exercise } from '../../types.ts';

/** What the learner writes: the tagging walk of Flask's `TaggedJSONSerializer`, both ways. */
export interface Impl {
  tag: (value: Parameters<typeof tag>[0]) => ReturnType<typeof tag>;
  untag: typeof untag;
}

interface FlaskCookies {
  vectors: Array<{ name: string; tagged_json: string }>;
}

// Real Flask 3.1.3 output: the exact JSON inside each cookie of the step's own tests.
const flaskJson = new Map(
  (
    JSON.parse(
      readFileSync(new URL('../../../../test/fixtures/flask-cookies.json', import.meta.url), 'utf8'),
    ) as FlaskCookies
  ).vectors.map((v) => [v.name, v.tagged_json]),
);

/** The JS side of each Flask vector, made afresh on each call (a wrong `tag` may change what it is given). */
const values: Record<string, () => unknown> = {
  ascii_and_non_ascii: () => ({ user_id: 42, name: '小明' }),
  key_order_is_sorted: () => ({ b: 1, a: 2, _fresh: true }),
  nested_dict_list: () => ({ cart: { items: [1, 2, 3], meta: { ok: true, none: null, pi: 3.5 } } }),
  permanent_session: () => ({ _permanent: true, user: 'alice' }),
  tuple_tag: () => ({ t: new Tuple([1, 'a', [2, 3]]) }),
  bytes_tag: () => ({ b: new Uint8Array([0, 0xff, ...Buffer.from('hello')]) }),
  datetime_tag: () => ({ dt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }),
  uuid_markup_tags: () => ({
    u: new UUID('12345678-1234-5678-1234-567812345678'),
    m: new Markup('<b>hi</b>'),
  }),
  dict_key_escape_di: () => ({ x: { ' t': 'not a tuple' }, y: { ' di': 1 } }),
};

// Printed by Flask 3.1.3's TaggedJSONSerializer: tags inside tags, and dicts that only look tagged.
const nested = {
  json:
    '{"a":{" t":[{" b":"AQI="},{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}]},' +
    '"b":{" di":{" t__":{" u":"12345678123456781234567812345678"}}}}',
  value: () => ({
    a: new Tuple([new Uint8Array([1, 2]), new Date(Date.UTC(2024, 0, 2, 3, 4, 5))]),
    b: { ' t': new UUID('12345678123456781234567812345678') },
  }),
};
const lookalikes = {
  json: '{"x":{" t":1,"a":2},"y":{" x":1},"z":[{" t":[1,2]},{" di":{" m__":"a"}}]}',
  value: () => ({ x: { ' t': 1, a: 2 }, y: { ' x': 1 }, z: [new Tuple([1, 2]), { ' m': 'a' }] }),
};

/** A value in a form that compares the way Python would: bytes as bytes whatever their class. */
function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') };
  if (value instanceof Tuple) return { tuple: value.items.map(canonical) };
  if (value instanceof Date) return { date: value.getTime() };
  if (value instanceof UUID) return { uuid: value.hex };
  if (value instanceof Markup) return { markup: value.html };
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

function call<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof NotImplementedError) throw error;
    throw new CheckFailed(
      `${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
}

/** `tag(value)` written as Flask writes it (sorted keys, compact): must be Flask's exact JSON. */
function expectTagged(impl: Impl, value: unknown, expected: string, why: string): void {
  const tagged = call(`tag(${show(value)})`, () => impl.tag(value));
  let json: string;
  try {
    json = dumps(tagged);
  } catch (error) {
    throw new CheckFailed(
      `tag(${show(value)}) returned ${show(tagged)}, which JSON cannot carry ` +
        `(${(error as Error).message}): ` +
        `tag must turn every value into dicts, lists, strings, numbers, booleans and null.\n${why}`,
    );
  }
  if (json === expected) return;
  throw new CheckFailed(
    `tag(${show(value)}), written as JSON:\n  expected: ${expected}\n  got:      ${json}\n${why}`,
  );
}

function expectUntagged(impl: Impl, json: string, expected: unknown, why: string): void {
  const actual = call(`untag(${json})`, () => impl.untag(loads(json)));
  if (isDeepStrictEqual(canonical(actual), canonical(expected))) return;
  throw new CheckFailed(`untag(${json})\n  expected: ${show(expected)}\n  got:      ${show(actual)}\n${why}`);
}

const vector = (name: string): [unknown, string] => [values[name]!(), flaskJson.get(name)!];

const checks: Check<Impl>[] = [
  {
    name: 'plain JSON data is left as it is: dicts, lists, strings, numbers, booleans, null',
    run: (impl) => {
      for (const name of [
        'ascii_and_non_ascii',
        'key_order_is_sorted',
        'nested_dict_list',
        'permanent_session',
      ]) {
        const [value, json] = vector(name);
        expectTagged(
          impl,
          value,
          json,
          'nothing here needs a tag: copy dicts and lists, tagging their items',
        );
      }
    },
  },
  {
    name: 'a tuple is tagged " t", its items tagged in turn',
    run: (impl) => {
      const [value, json] = vector('tuple_tag');
      expectTagged(impl, value, json, 'a Tuple becomes {" t": [its items, each tagged]}');
      const inner = { t: new Tuple([new Tuple([1]), new Markup('<i>')]) };
      expectTagged(impl, inner, '{"t":{" t":[{" t":[1]},{" m":"<i>"}]}}', 'tag the items of a tuple too');
    },
  },
  {
    name: 'bytes are tagged " b", in standard base64 with padding',
    run: (impl) => {
      const [value, json] = vector('bytes_tag');
      const why =
        'a Uint8Array becomes {" b": base64} with Python\'s b64encode alphabet ("+", "/" and "=" ' +
        'padding), not base64url';
      expectTagged(impl, value, json, why);
    },
  },
  {
    name: 'Markup is tagged " m" and a UUID " u" (32 hex digits, no dashes)',
    run: (impl) => {
      const [value, json] = vector('uuid_markup_tags');
      expectTagged(
        impl,
        value,
        json,
        'Markup (anything with __html__) becomes {" m": value.__html__()}; a UUID {" u": uuid.hex}',
      );
    },
  },
  {
    name: 'a Date is tagged " d" as an HTTP date',
    run: (impl) => {
      const [value, json] = vector('datetime_tag');
      const why =
        'Flask writes Werkzeug\'s http_date: "Tue, 02 Jan 2024 03:04:05 GMT", whole seconds, always GMT ' +
        '(the format of Date#toUTCString)';
      expectTagged(impl, value, json, why);
      // Flask stored 03:04:05.678901 in this cookie: the fraction is dropped.
      expectTagged(impl, { dt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) }, json, why);
    },
  },
  {
    name: 'a dict whose only key is a tag key is escaped as " di"',
    run: (impl) => {
      const [value, json] = vector('dict_key_escape_di');
      const why =
        'a dict with one key that is a tag key (" t", " di", …) would come back as that tag: store it as ' +
        '{" di": {key + "__": value}}. A dict with more keys, or a key that is no tag, stays a dict.';
      expectTagged(impl, value, json, why);
      expectTagged(impl, lookalikes.value(), lookalikes.json, why);
    },
  },
  {
    name: 'tag leaves the value it is given unchanged',
    run: (impl) => {
      const value = { t: new Tuple([1, { b: new Uint8Array([1]) }]), d: { ' t': 1 }, l: [new Date(0)] };
      const before = canonical(value);
      call('tag', () => impl.tag(value));
      if (isDeepStrictEqual(canonical(value), before)) return;
      throw new CheckFailed(
        `after tag(value) the value itself is ${show(value)}: build new dicts and lists rather than ` +
          'assigning into the ones you are given (they are the session: the app would find {" t": …} ' +
          'where it stored a tuple)',
      );
    },
  },
  {
    name: "untag reads every tag of Flask's cookies back",
    run: (impl) => {
      for (const name of Object.keys(values)) {
        const [value, json] = vector(name);
        const why =
          'a dict with exactly one key that is a tag key becomes that type again: " t" Tuple, ' +
          '" b" Uint8Array (base64), " m" Markup, " u" UUID, " d" Date, " di" the dict it escaped ' +
          '(drop the "__")';
        expectUntagged(impl, json, value, why);
      }
    },
  },
  {
    name: 'untag leaves dicts that only look tagged alone',
    run: (impl) => {
      const json = '{"x":{" t":[1],"y":2},"z":{" x":1},"w":{"t":[1]}}';
      const why =
        'only a dict with exactly ONE key, and that key a tag key, is a tag; leave any other dict as it is';
      expectUntagged(impl, json, { x: { ' t': [1], y: 2 }, z: { ' x': 1 }, w: { t: [1] } }, why);
    },
  },
  {
    name: 'untag converts tags inside tags',
    run: (impl) => {
      const why =
        "untag the children first (lists, dict values, a tag's own value), then the dict itself, " +
        'as Flask 3 does';
      expectUntagged(impl, nested.json, nested.value(), why);
      expectUntagged(impl, lookalikes.json, lookalikes.value(), why);
    },
  },
];

/** Flask's tagged JSON, both ways (lesson 02). */
export const exercise: Exercise<Impl> = {
  id: 'tagged-json',
  step: '02-signed-cookie',
  title: "Tag and untag Flask's session JSON",
  lesson: 'lessons/02-signed-cookie.md',
  starter: 'src/workshop/starters/tagged-json.ts',
  solution: 'src/02-signed-cookie/tagged-json.ts#tag-walk',
  hint:
    'tag: walk the value; try the tags in Flask\'s order (" di" for a one-key dict whose key is a tag key, ' +
    'then plain dict, " t", list, " b", " m", " u", " d"), the first that fits wins, and wrap its ' +
    'JSON form as {key: form}. untag: untag the children first; a dict with exactly one key that is a ' +
    'tag key becomes that type again.',
  reference: async () => {
    const { tag, untag } = await import('../../../02-signed-cookie/tagged-json.ts');
    return { tag: (value) => tag(value), untag };
  },
  checks,
};
