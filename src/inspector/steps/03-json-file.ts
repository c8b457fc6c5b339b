import type { JsonFileConfig } from '../../03-json-file/config.ts';
import type { FlaskWithFolders } from '../../03-json-file/flask-app.ts';
import { ownRecord, type RecordView } from '../../03-json-file/server.ts';
import {
  tamperAction,
  type InspectorAction,
  type InspectorOptions,
  type InspectorPanel,
} from '../inspector.ts';

/** Step 03's page: its buttons, and the record in the session file, the article's or the fixed store's. */
export function jsonFilePage(app: FlaskWithFolders<JsonFileConfig>): InspectorOptions {
  const fixed = app.config.SESSION_IMPL !== 'article';
  const regenerate: InspectorAction = {
    label: 'Regenerate the id',
    method: 'POST',
    path: '/regenerate',
    help: 'Same data under a new sid; the old entry is deleted.',
  };
  return {
    title: `Step 03 · the JSON-file store (${fixed ? 'fixed' : "the article's, with its flaws"})`,
    actions: [
      {
        label: 'Log in',
        method: 'POST',
        path: '/login',
        field: { name: 'name', value: 'alice' },
        help: fixed ? 'Puts "user" in the session, under a new sid.' : 'Puts "user" in the session.',
      },
      { label: 'Count', method: 'GET', path: '/counter', help: 'count + 1, stored in the file.' },
      {
        label: 'Add to cart',
        method: 'POST',
        path: '/cart',
        field: { name: 'item', value: 'apple' },
        help: 'Appends to a list; sets session.modified.',
      },
      ...(fixed ? [regenerate] : []),
      { ...tamperAction, help: 'The server changes one character of the sid cookie.' },
      {
        label: 'Log out',
        method: 'POST',
        path: '/logout',
        help: fixed
          ? 'Empties the session: entry and cookie deleted.'
          : 'Empties the session: the cookie is deleted, the entry stays in the file.',
      },
    ],
    describe: async () => [recordPanel(await ownRecord(app))],
    notes: fixed ? fixedNotes : articleNotes,
  };
}

const fixedNotes = [
  'Sessions here are permanent: the cookie and the stored entry expire after PERMANENT_SESSION_LIFETIME. Watch one expire: FLASK_PERMANENT_SESSION_LIFETIME=10 npm run step -- 03, log in, wait without pressing anything, then "Refresh view".',
  "FLASK_SESSION_IMPL=article npm run step -- 03 runs the article's own store instead.",
];

const articleNotes = [
  "Sessions here are permanent: the cookie expires after PERMANENT_SESSION_LIFETIME, but the article's store never deletes an entry, expired or logged out: it stays in the file.",
  "This is the article's own store (FLASK_SESSION_IMPL=article); npm run step -- 03 without the variable runs the fixed one.",
];

/** The server-side record of this browser's session, read by its own sid only. */
function recordPanel(record: RecordView | null): InspectorPanel {
  const title = 'The server-side record';
  if (!record) return { title, rows: [['record', 'nothing stored for this session yet']] };
  const rows: Array<[string, string]> = [
    ['lives in', record.file],
    ['key (sid)', record.key],
    ['expires', record.expiresAt],
    ['data', JSON.stringify(record.data)],
  ];
  // The article's file sits in the static folder, and Flask serves that folder to everyone.
  if (record.file.startsWith('static/')) rows.push(['served to anyone at', `/${record.file}`]);
  return { title, rows, note: 'The cookie carries only the sid; the data stays on the server.' };
}
