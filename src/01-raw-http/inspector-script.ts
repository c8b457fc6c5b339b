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
  var cookieName = 'session';
  var expiresAt = null;
  var traceHeader = { 'Session-Trace': '1' };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function fill(parent, children) {
    parent.replaceChildren.apply(parent, children);
  }
  function definitions(parent, rows) {
    var nodes = [];
    rows.forEach(function (row) { nodes.push(el('dt', row[0]), el('dd', row[1], 'mono')); });
    fill(parent, nodes);
  }
  function setState(state) {
    document.body.dataset.state = state;
    if (state === 'ready') document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  }

  function readTrace(response) {
    var raw = response.headers.get('Session-Trace');
    if (!raw) return null;
    try { return JSON.parse(decodeURIComponent(raw)); } catch (error) { return null; }
  }

  function renderTrace(trace) {
    if (!trace) return;
    $('trace-title').textContent = trace.method + ' ' + trace.path + ' → ' + trace.status;
    fill($('timeline'), phases.map(function (phase) {
      var item = el('li');
      item.append(el('strong', phase[1]));
      var list = el('ul');
      trace.notes.filter(function (note) { return note.phase === phase[0]; })
        .forEach(function (note) { list.append(el('li', note.text)); });
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
      expiresAt = /;\s*Max-Age=0(;|$)/i.test(header) || !match ? null : new Date(match[1]);
    });
    tick();
  }
  function tick() {
    var text = 'No expiry seen: the cookie lives until the browser closes (or the server deletes it).';
    if (expiresAt) {
      var seconds = Math.round((expiresAt.getTime() - Date.now()) / 1000);
      var left = seconds > 172800 ? Math.round(seconds / 86400) + ' days'
        : seconds > 7200 ? Math.round(seconds / 3600) + ' hours' : seconds > 120 ? Math.round(seconds / 60) + ' min' : seconds + ' s';
      text = seconds > 0 ? 'Session cookie expires ' + expiresAt.toLocaleString() + ' (in ' + left + ').'
        : 'Session cookie expired ' + expiresAt.toLocaleString() + ': press "Refresh view".';
    }
    $('expiry').textContent = text;
  }

  function renderView(view) {
    cookieName = view.cookieName;
    $('session').textContent = JSON.stringify(view.session, null, 2);
    $('session-flags').textContent = 'permanent: ' + view.permanent + ' · cookie name: ' + view.cookieName;
    $('cookie-header').textContent = view.cookieHeader === null ? '(no Cookie header)' : view.cookieHeader;
    definitions($('settings'), Object.keys(view.settings).map(function (key) { return [key, String(view.settings[key])]; }));
    document.querySelectorAll('section.panel').forEach(function (node) { node.remove(); });
    view.panels.forEach(function (panel) {
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
    else $('session').textContent = '(GET /inspect answered ' + response.status + ': ' + (await response.text()).trim() + ')';
    return readTrace(response);
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
      $('answer').textContent = action.method + ' ' + action.path + ' → ' + response.status + ': ' + body.trim();
      renderTrace(readTrace(response));
      await refresh();
    } catch (error) {
      $('answer').textContent = 'The request failed: ' + error.message;
    }
    setState('ready');
  }

  function renderActions() {
    fill($('action-list'), config.actions.map(function (action) {
      var form = el('form');
      form.append(el('p', action.help, 'muted'));
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
      refresh().then(renderTrace).finally(function () { setState('ready'); });
    });
    fill($('notes'), config.notes.map(function (note) { return el('li', note); }));
  }

  renderActions();
  setInterval(tick, 1000);
  refresh().then(renderTrace).catch(function (error) {
    $('answer').textContent = 'Could not load the session view: ' + error.message;
  }).finally(function () { setState('ready'); });
})();
`;
