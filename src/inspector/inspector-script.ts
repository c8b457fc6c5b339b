/**
 * The inspector page's script, sent as is (no framework, no build step). It calls the step's
 * real routes with fetch(), reads each response's `Session-Trace` header, then asks
 * `GET /inspect` for the session as the server now sees it. Server data only ever goes into
 * `textContent`, never into HTML.
 */
export const inspectorScript = String.raw`
'use strict';
(function () {
  var config = JSON.parse(document.getElementById('inspector-config').textContent);
  var phases = [['open', '1 · open session'], ['handler', '2 · handler'], ['save', '3 · save session']];
  var view = null;
  var cookieName = 'session';
  // The last Set-Cookie for the session cookie the page saw: { expiresAt: Date | null, deleted: boolean }.
  var lastSet = null;
  var traceHeader = { 'Session-Trace': '1' };

  function $(id) { return document.getElementById(id); }
  // A run of digits never breaks across lines: "2678400 s" must not read "26784 / 00 s".
  function setText(node, text) {
    var parts = String(text).split(/(\d[\d.,:]{0,18}\d|\d)/);
    node.replaceChildren.apply(node, parts.map(function (part, i) {
      if (i % 2 === 0) return document.createTextNode(part);
      var number = document.createElement('span');
      number.className = 'num';
      number.textContent = part;
      return number;
    }));
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) setText(node, text);
    if (className) node.className = className;
    return node;
  }
  function fill(parent, children) {
    parent.replaceChildren.apply(parent, children);
  }
  function definitions(parent, rows) {
    var nodes = [];
    rows.forEach(function (row) { nodes.push(el('dt', row[0]), el('dd', withDurations(row[1]), 'mono')); });
    fill(parent, nodes);
  }
  function setState(state) {
    document.body.dataset.state = state;
    if (state === 'ready') document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  }
  function say(text, ok) {
    setText($('answer'), text);
    $('answer').className = ok ? 'ok' : 'error';
  }

  function humanDuration(seconds) {
    var units = [[86400, 'day'], [3600, 'hour'], [60, 'minute']];
    for (var i = 0; i < units.length; i++) {
      if (seconds < units[i][0]) continue;
      var value = Math.round(seconds / units[i][0] * 10) / 10;
      return value + ' ' + units[i][1] + (value === 1 ? '' : 's');
    }
    return null;
  }
  // "2678400 s" becomes "2678400 s (31 days)"; a minute or less stays as it is.
  function withDurations(text) {
    return String(text).replace(/\b(\d+) s\b/g, function (match, digits) {
      var human = humanDuration(Number(digits));
      return human ? match + ' (' + human + ')' : match;
    });
  }

  function readTrace(response) {
    var raw = response.headers.get('Session-Trace');
    if (!raw) return null;
    try { return JSON.parse(decodeURIComponent(raw)); } catch (error) { return null; }
  }

  function renderTrace(trace) {
    if (!trace) return;
    setText($('trace-title'), trace.method + ' ' + trace.path + ' → ' + trace.status);
    $('trace-title').className = 'mono' + (trace.status >= 400 ? ' failed' : '');
    fill($('timeline'), phases.map(function (phase) {
      var item = el('li');
      item.append(el('strong', phase[1]));
      var list = el('ul');
      trace.notes.filter(function (note) { return note.phase === phase[0]; })
        .forEach(function (note) { list.append(el('li', withDurations(note.text))); });
      item.append(list);
      return item;
    }));
    var rows = [['Cookie', trace.cookie === null ? '(none sent)' : trace.cookie]];
    if (trace.setCookie.length === 0) rows.push(['Set-Cookie', '(none)']);
    trace.setCookie.forEach(function (header) { rows.push(['Set-Cookie', header]); });
    rows.push(['Vary', trace.vary === null ? '(none)' : trace.vary]);
    definitions($('trace-headers'), rows);
    noteExpiry(trace.setCookie);
  }

  // The page cannot read the cookie jar; it learns the cookie's expiry from the Set-Cookie it saw.
  function noteExpiry(headers) {
    headers.forEach(function (header) {
      if (header.indexOf(cookieName + '=') !== 0) return;
      var match = /;\s*Expires=([^;]+)/i.exec(header);
      lastSet = { deleted: /;\s*Max-Age=0(;|$)/i.test(header), expiresAt: match ? new Date(match[1]) : null };
    });
    tick();
  }
  function hasSessionCookie() {
    return view.cookieHeader !== null && view.cookieHeader.split(/;\s*/).some(function (pair) {
      return pair.indexOf(cookieName + '=') === 0;
    });
  }
  function expiryText() {
    if (!hasSessionCookie()) return 'No session cookie in the browser.';
    var expiresAt = lastSet && !lastSet.deleted ? lastSet.expiresAt : null;
    if (!lastSet || lastSet.deleted) {
      return view.permanent ? 'The session is permanent: its cookie expires ' + withDurations(view.settings.PERMANENT_SESSION_LIFETIME) + ' after the session was last saved.'
        : 'The session is not permanent: its cookie has no expiry and lives until the browser closes.';
    }
    if (!expiresAt) {
      return 'The session cookie has no expiry: it lives until the browser closes.'
        + (view.permanent ? ' The session is permanent, so its next save gives the cookie one.' : '');
    }
    var seconds = Math.round((expiresAt.getTime() - Date.now()) / 1000);
    if (seconds <= 0) return 'Session cookie expired ' + expiresAt.toLocaleString() + ': press "Refresh view".';
    return 'Session cookie expires ' + expiresAt.toLocaleString() + ' (in ' + (humanDuration(seconds) || seconds + ' s') + ').'
      + (view.permanent ? '' : ' The session is not permanent, so its next save sends a cookie without expiry.');
  }
  function tick() {
    setText($('expiry'), view ? expiryText() : '');
  }

  function renderView(next) {
    view = next;
    cookieName = view.cookieName;
    setText($('session'), JSON.stringify(view.session, null, 2));
    setText($('session-flags'), 'permanent: ' + view.permanent + ' · cookie name: ' + view.cookieName);
    setText($('cookie-header'), view.cookieHeader === null ? '(no Cookie header)' : view.cookieHeader);
    definitions($('settings'), Object.keys(view.settings).map(function (key) { return [key, String(view.settings[key])]; }));
    renderPanels(view.panels);
    tick();
  }
  // What the page knew is no longer known: nothing stale stays on it.
  function renderViewError(message) {
    view = null;
    setText($('session'), '(' + message + ')');
    fill($('session-flags'), []);
    tick();
    renderPanels([]);
  }
  function renderPanels(panels) {
    document.querySelectorAll('section.panel').forEach(function (node) { node.remove(); });
    panels.forEach(function (panel) {
      var section = el('section', null, 'panel');
      section.append(el('h2', panel.title));
      var list = el('dl');
      definitions(list, panel.rows);
      section.append(list);
      if (panel.note) section.append(el('p', panel.note, 'muted'));
      $('left-column').append(section);
    });
  }

  async function refresh() {
    var response = await fetch('/inspect', { cache: 'no-store', headers: traceHeader });
    if (response.ok) renderView(await response.json());
    else renderViewError('GET /inspect answered ' + response.status + ': ' + (await response.text()).trim());
    return { ok: response.ok, status: response.status, trace: readTrace(response) };
  }

  async function run(action, input) {
    setState('busy');
    try {
      var init = { method: action.method, cache: 'no-store', headers: traceHeader };
      var fields = new URLSearchParams(action.extra || {});
      if (action.field) fields.set(action.field.name, input.value);
      if (action.method === 'POST') init.body = fields;
      var response = await fetch(action.path, init);
      var body = await response.text();
      say(action.method + ' ' + action.path + ' → ' + response.status + ': ' + body.trim(), response.ok);
      renderTrace(readTrace(response));
      await refresh();
    } catch (error) {
      say('The request failed: ' + error.message, false);
    }
    setState('ready');
  }

  async function refreshView() {
    try {
      var result = await refresh();
      renderTrace(result.trace);
      if (result.ok) fill($('answer'), []);
      else say('GET /inspect → ' + result.status + ': the view could not be refreshed.', false);
    } catch (error) {
      say('Could not load the session view: ' + error.message, false);
    }
  }

  function renderActions() {
    fill($('action-list'), config.actions.map(function (action) {
      var form = el('form');
      form.append(el('p', withDurations(action.help), 'muted'));
      var input = null;
      if (action.field) {
        input = el('input');
        input.name = action.field.name;
        input.value = action.field.value;
        input.setAttribute('aria-label', action.field.name);
        form.append(input);
      }
      form.append(el('button', action.label));
      form.addEventListener('submit', function (event) { event.preventDefault(); run(action, input); });
      return form;
    }));
    $('refresh').addEventListener('click', function () {
      setState('busy');
      refreshView().finally(function () { setState('ready'); });
    });
    fill($('notes'), config.notes.map(function (note) { return el('li', withDurations(note)); }));
  }

  renderActions();
  setInterval(tick, 1000);
  refreshView().finally(function () { setState('ready'); });
})();
`;
