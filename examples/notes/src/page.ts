/** The live page: the list of notes, updated from `/events` without reloading. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley notes</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 44rem; padding: 0 1rem; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; }
  td.size { text-align: right; }
  #state { font-size: .9rem; color: #666; }
  #log { font: 13px ui-monospace, monospace; color: #333; }
</style>
</head>
<body>
<h1>Notes</h1>
<p id="state">connecting…</p>
<table>
  <thead><tr><th>name</th><th>size</th><th>modified</th></tr></thead>
  <tbody id="notes"></tbody>
</table>
<h2>Changes</h2>
<ul id="log"></ul>
<script src="/app.js"></script>
</body>
</html>
`;

/** The live page's script: renders `GET /notes/` and listens to `change` events. */
export const PAGE_SCRIPT = `'use strict';
const rows = document.getElementById('notes');
const state = document.getElementById('state');
const log = document.getElementById('log');

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

let generation = 0;
async function refresh() {
  const mine = ++generation;
  const response = await fetch('/notes/', { cache: 'no-store' });
  const entries = await response.json();
  if (mine !== generation) return;
  rows.replaceChildren(...entries.filter((e) => e.type === 'file').map((entry) => {
    const tr = document.createElement('tr');
    tr.dataset.name = entry.name;
    const link = document.createElement('a');
    link.href = '/notes/' + encodeURIComponent(entry.name);
    link.textContent = entry.name;
    const name = document.createElement('td');
    name.append(link);
    tr.append(name, cell(String(entry.size ?? ''), 'size'), cell(entry.modified ?? ''));
    return tr;
  }));
}

const events = new EventSource('/events');
events.onopen = () => { state.textContent = 'live: changes over HTTP, FTP, SMTP and MQTT appear here'; refresh(); };
events.onerror = () => { state.textContent = 'disconnected, retrying…'; };
events.addEventListener('change', (event) => {
  const change = JSON.parse(event.data);
  const item = document.createElement('li');
  item.textContent = change.at + ' ' + change.protocol + ' ' + change.type + ' ' + change.name;
  log.prepend(item);
  while (log.children.length > 50) log.lastChild.remove();
  refresh();
});
`;
