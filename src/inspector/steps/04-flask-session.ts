import { relative } from 'node:path';
import type { Flask } from '../../01-raw-http/app.ts';
import { currentContext } from '../../01-raw-http/context.ts';
import { bigintAsDigits } from '../../01-raw-http/response.ts';
import { defaultBackends, type FlaskSessionConfig } from '../../04-flask-session/config.ts';
import { ServerSideSessionInterface } from '../../04-flask-session/server-side-interface.ts';
import { ServerSideSession } from '../../04-flask-session/server-side-session.ts';
import {
  tamperAction,
  type InspectorAction,
  type InspectorOptions,
  type InspectorPanel,
} from '../inspector.ts';

// #region inspector
/** Step 04's page (`step` names the command its notes give): its buttons, and the record in whichever backend SESSION_TYPE names. */
export function flaskSessionPage(app: Flask<FlaskSessionConfig>, step = '04'): InspectorOptions {
  return {
    title: `Step 04 · Flask-Session, SESSION_TYPE=${app.config.SESSION_TYPE}`,
    actions: serverSideActions,
    describe: () => recordPanel(app),
    notes: [
      `Other backends, same page: FLASK_SESSION_TYPE=redis (or memcached, sqlalchemy, mongodb) npm run step -- ${step}.`,
      expiryNote(step),
    ],
  };
}
// #endregion inspector

const expiryNote = (step: string): string =>
  `Watch a session expire: FLASK_PERMANENT_SESSION_LIFETIME=10 npm run step -- ${step}, log in, wait without pressing anything, then "Refresh view".`;

const loginAction: InspectorAction = {
  label: 'Log in',
  method: 'POST',
  path: '/login',
  field: { name: 'name', value: 'alice' },
  help: '',
};
const cartAction: InspectorAction = {
  label: 'Add to cart',
  method: 'POST',
  path: '/cart',
  field: { name: 'item', value: 'apple' },
  help: 'Appends to a list; sets session.modified.',
};

const serverSideActions: InspectorAction[] = [
  { ...loginAction, help: 'Puts "user" in the session, under a new sid.' },
  { label: 'Count', method: 'GET', path: '/counter', help: 'count + 1, stored in the backend.' },
  cartAction,
  {
    label: 'Regenerate the id',
    method: 'POST',
    path: '/regenerate',
    help: 'Same data under a new sid; the old key is deleted.',
  },
  { ...tamperAction, help: 'The server changes one character of the sid cookie.' },
  { label: 'Log out', method: 'POST', path: '/logout', help: 'Empties the session: key and cookie deleted.' },
];

/** This browser's own record, read by the sid of the session this request opened; no other key. */
export async function recordPanel(app: Flask<FlaskSessionConfig>): Promise<InspectorPanel[]> {
  const iface = app.sessionInterface;
  const session = currentContext().session;
  const title = 'The server-side record';
  if (!(iface instanceof ServerSideSessionInterface) || !(session instanceof ServerSideSession)) {
    return [
      {
        title,
        rows: [['SESSION_TYPE', String(app.config.SESSION_TYPE)]],
        note: 'No server-side session on this app.',
      },
    ];
  }
  const key = iface.keyPrefix + session.sid;
  const rows: Array<[string, string]> = [
    ['lives in', whereItLives(app.config)],
    ['key', key],
  ];
  try {
    const bytes = await iface.store.get(key);
    if (!bytes) rows.push(['stored', 'nothing yet (an empty session is not stored)']);
    else
      rows.push(
        ['stored', `${bytes.length} bytes of ${app.config.SESSION_SERIALIZATION_FORMAT}`],
        ['decoded', JSON.stringify(iface.serializer.loads(bytes), forDisplay)],
      );
  } catch (error) {
    rows.push(['stored', `could not be read: ${(error as Error).message}`]);
  }
  rows.push([
    'expires',
    `${app.config.PERMANENT_SESSION_LIFETIME} s after the last save (the backend's own TTL)`,
  ]);
  return [{ title, rows, note: 'The cookie carries only the sid; the data stays in the backend.' }];
}

/** Where the backend keeps sessions: scheme, hosts, port, database or path, and nothing that lets anyone in. */
export function whereItLives(config: FlaskSessionConfig): string {
  const type = String(config.SESSION_TYPE).toLowerCase();
  if (type === 'filesystem')
    return `files under ${relative(process.cwd(), config.SESSION_FILE_DIR) || '.'} (SESSION_FILE_DIR)`;
  if (type === 'memcached')
    return `memcached at ${shown(config.SESSION_MEMCACHED, defaultBackends.SESSION_MEMCACHED, serverList)}`;
  if (type === 'redis')
    return `Redis at ${shown(config.SESSION_REDIS, defaultBackends.SESSION_REDIS, connectionUrl)}`;
  if (type === 'mongodb')
    return `MongoDB ${config.SESSION_MONGODB_DB}.${config.SESSION_MONGODB_COLLECT} at ${shown(config.SESSION_MONGODB, defaultBackends.SESSION_MONGODB, connectionUrl)}`;
  if (type === 'sqlalchemy')
    return `SQL table ${config.SESSION_SQLALCHEMY_TABLE} at ${shown(config.SESSION_SQLALCHEMY, defaultBackends.SESSION_SQLALCHEMY, connectionUrl)}`;
  return type;
}

// A connection string may carry a password (user:pass@, ?password=, a memcached user:pass@host):
// the page shows where, never how to get in. Anything it cannot take apart is not shown at all.
function shown(value: unknown, fallback: string, locate: (text: string) => string | null): string {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return 'a client given in the config';
  return locate(value) ?? '(a connection string, not shown)';
}

const hostPort = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%-]*)(:[0-9]*)?$/;

/** `host:port,…` with each entry's `user:pass@` dropped (memjs' server list), or null. */
function serverList(text: string): string | null {
  const hosts = text.split(',').map((entry) => entry.slice(entry.lastIndexOf('@') + 1));
  return hosts.every((host) => host !== '' && hostPort.test(host)) ? hosts.join(',') : null;
}

/** `scheme://hosts/path` of a URL (userinfo, query and fragment dropped), or `sqlite:PATH`, or null. */
function connectionUrl(text: string): string | null {
  if (text.startsWith('sqlite:')) return text.split(/[?#]/)[0]!;
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(text);
  if (!url) return null;
  const [, scheme, authority = '', path = ''] = url;
  const hosts = authority.slice(authority.lastIndexOf('@') + 1).split(',');
  if (!hosts.every((host) => hostPort.test(host)) || !/^[A-Za-z0-9._~%/-]*$/.test(path)) return null;
  return `${scheme}://${hosts.join(',')}${path}`;
}

// A bigint (a Python int beyond 2^53) is shown as its digits, a Map (a dict with non-string keys) as an object.
function forDisplay(key: string, value: unknown): unknown {
  const shown = bigintAsDigits(key, value);
  return shown instanceof Map ? Object.fromEntries(shown) : shown;
}
