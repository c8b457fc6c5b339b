import { createHash } from 'node:crypto';
import type { InspectorAction } from './inspector.ts';
import { inspectorScript } from './inspector-script.ts';

/** The page as sent: its HTML and a Content-Security-Policy that allows exactly its own script and style. */
export interface InspectorPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

const style = `
:root { --ink: #1b2330; --muted: #566072; --line: #d8dee8; --bg: #f3f5f9; --card: #fff; --accent: #1f56b3; --warn: #8a4600; --ok: #1d6b3a; --bad: #a3261f; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, "Liberation Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 12px 16px; background: #1e2940; color: #fff; }
header h1 { margin: 0; font-size: 1.2rem; }
header p { margin: 2px 0 0; color: #c8d3ea; font-size: .9rem; }
main { display: grid; gap: 12px; padding: 12px; max-width: 1180px; margin: 0 auto; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 48rem) { main { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
.column { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
h2 { margin: 0 0 8px; font-size: 1rem; }
h3 { margin: 8px 0 4px; font-size: .9rem; }
pre, .mono { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
pre { background: #f6f8fb; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
.muted { color: var(--muted); font-size: .88rem; }
.warn { color: var(--warn); font-size: .88rem; }
#action-list { display: grid; gap: 8px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr)); }
form { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; align-content: flex-start; margin: 0; }
form p { flex-basis: 100%; margin: 0; }
input { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; width: 9rem; }
button { font: inherit; padding: 5px 12px; border: 1px solid var(--accent); border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
button.quiet { background: #fff; color: var(--accent); font-size: .85rem; padding: 2px 10px; margin-left: 8px; }
body[data-state="busy"] button { opacity: .6; }
#answer { overflow-wrap: anywhere; margin: 6px 0 0; padding: 6px 8px; border-left: 3px solid var(--ok); background: #eef7f1; }
#answer.error { border-left-color: var(--bad); background: #fcefee; color: var(--bad); }
#answer:empty { display: none; }
.failed { color: var(--bad); }
.num { white-space: nowrap; }
ol.timeline { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
ol.timeline > li { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; padding: 4px 8px; min-width: 0; overflow-wrap: anywhere; }
ol.timeline ul { margin: 4px 0 0; padding-left: 18px; font-size: .88rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 10px; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; min-width: 0; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dd { margin: 0 0 4px 10px; } }
`;

/** Builds the page for one step; everything the server puts in it is escaped. */
export function inspectorPage(options: {
  title: string;
  actions: readonly InspectorAction[];
  notes: readonly string[];
}): InspectorPage {
  const config = JSON.stringify(options)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Session inspector · ${escapeHtml(options.title)}</title>
<style>${style}</style>
</head>
<body data-state="loading">
<header><h1>Session inspector</h1><p>${escapeHtml(options.title)}</p></header>
<main>
<section id="actions" class="wide"><h2>Try it <button id="refresh" type="button" class="quiet">Refresh view</button></h2><div id="action-list"></div><p id="answer" role="status"></p></section>
<div class="column" id="left-column">
<section><h2>The session as the server sees it</h2><pre id="session">…</pre><p id="session-flags" class="muted"></p><p id="expiry" class="muted"></p></section>
</div>
<div class="column">
<section id="trace-card"><h2>Last request: <span id="trace-title" class="mono"></span></h2><ol id="timeline" class="timeline"></ol>
<h3>Headers</h3><dl id="trace-headers"></dl></section>
<section><h2>Cookies and settings</h2><h3>Cookie header of this view's request</h3><pre id="cookie-header"></pre>
<p class="warn">Teaching tool only: this page echoes your cookies back to its own script, which defeats HttpOnly for this page. A real app must never do this.</p>
<h3>Configuration</h3><dl id="settings"></dl><ul id="notes" class="muted"></ul></section>
</div>
</main>
<script type="application/json" id="inspector-config">${config}</script>
<script>${inspectorScript}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src '${sha256(inspectorScript)}'`,
    `style-src '${sha256(style)}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

function sha256(source: string): string {
  return `sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
