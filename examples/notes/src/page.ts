/** Where the live page's clients reach the service; embedded in the page as JSON. */
export interface PageEndpoints {
  /** The path of the WebSocket endpoint on the page's own host and port (`/parley`). */
  readonly wsPath: string;
  /**
   * The embedded broker's MQTT-over-WebSocket port and the service prefix; absent when the
   * service runs no broker WebSocket (an external broker).
   */
  readonly mqttWs?: { readonly port: number; readonly prefix: string } | undefined;
}

/** JSON safe inside a `<script>` element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

/**
 * The live page: the notes, the changes as they happen (with protocol, peer and status) and a
 * form that sends one request over HTTP, WebSocket or MQTT over WebSocket and shows its reply
 * and wire trace. Its script (`/app.js`) is the Parley browser client, bundled by `build-page.ts`.
 */
export function pageHtml(endpoints: PageEndpoints): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley notes</title>
<style>${PAGE_STYLE}</style>
<script type="application/json" id="endpoints">${scriptJson(endpoints)}</script>
</head>
<body>
<header>
<h1>Parley notes</h1>
<p id="state" role="status">The page script did not load: build it with <code>pnpm --filter @parley/example-notes build</code>.</p>
</header>
<main>
<section aria-labelledby="send-title">
<h2 id="send-title">Send a request</h2>
<form id="request">
<fieldset>
<legend>Transport</legend>
<label><input type="radio" name="transport" value="http" checked> HTTP</label>
<label><input type="radio" name="transport" value="ws"> WebSocket</label>
<label><input type="radio" name="transport" value="mqtt"> MQTT over WebSocket</label>
</fieldset>
<label for="name">Note name</label>
<input id="name" name="name" value="hello.txt" required autocomplete="off" spellcheck="false">
<label for="content">Content (written by Write)</label>
<textarea id="content" name="content" rows="3">Hello from the browser</textarea>
<div class="buttons">
<button type="submit" name="method" value="GET">Read</button>
<button type="submit" name="method" value="PUT">Write</button>
<button type="submit" name="method" value="DELETE">Delete</button>
</div>
</form>
<h3>Reply</h3>
<pre id="reply" aria-live="polite">No request sent yet.</pre>
<h3>On the wire</h3>
<p id="trace-note" class="hint">Every line the transport sent (&gt;) or received (&lt;) for the request, connection included.</p>
<ol id="trace" class="trace"></ol>
</section>
<section aria-labelledby="notes-title">
<h2 id="notes-title">Notes</h2>
<table>
<thead><tr><th scope="col">name</th><th scope="col" class="size">size</th><th scope="col">modified</th></tr></thead>
<tbody id="notes"></tbody>
</table>
<h2 id="changes-title">Changes</h2>
<table aria-labelledby="changes-title">
<thead><tr><th scope="col">time</th><th scope="col">protocol</th><th scope="col">change</th><th scope="col">peer</th><th scope="col">status</th></tr></thead>
<tbody id="changes"></tbody>
</table>
</section>
</main>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
}

const PAGE_STYLE = `
  body { font: 16px/1.4 system-ui, sans-serif; margin: 1.5rem auto; max-width: 78rem; padding: 0 1rem; color: #1b1b1b; }
  h1 { margin: 0; font-size: 1.6rem; } h2 { font-size: 1.2rem; margin: 1.2rem 0 .5rem; } h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
  main { display: grid; gap: 2rem; grid-template-columns: minmax(0, 1fr); }
  @media (min-width: 60rem) { main { grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); } }
  #state { color: #555; margin: .3rem 0 0; }
  form { display: grid; gap: .35rem; }
  fieldset { border: 1px solid #ccc; border-radius: 4px; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
  input[type=text], input:not([type]), textarea { font: inherit; padding: .3rem; border: 1px solid #999; border-radius: 3px; }
  .buttons { display: flex; gap: .5rem; margin-top: .3rem; }
  button { font: inherit; padding: .3rem .9rem; border: 1px solid #2b5797; background: #2b5797; color: #fff; border-radius: 3px; cursor: pointer; }
  button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #f0b400; outline-offset: 1px; }
  pre, .trace { font: 13px/1.45 ui-monospace, monospace; background: #f5f5f5; border-radius: 4px; padding: .5rem .7rem; margin: 0; white-space: pre-wrap; word-break: break-all; }
  .trace { list-style: none; max-height: 24rem; overflow: auto; }
  .trace .send { color: #0b4f8a; } .trace .receive { color: #1d6b2a; } .trace .info { color: #666; }
  .hint { color: #555; font-size: .9rem; margin: 0 0 .3rem; }
  table { border-collapse: collapse; width: 100%; font-size: .95rem; }
  td, th { border-bottom: 1px solid #ddd; padding: .25rem .45rem; text-align: left; vertical-align: top; }
  td.size, th.size { text-align: right; }
  td.time, td.peer { font: 13px ui-monospace, monospace; }
  .protocol { display: inline-block; min-width: 5.8rem; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; font-weight: 600; }
  .p-http { background: #dbe9fb; } .p-ws { background: #e6dcf7; } .p-ftp { background: #fbe3cf; }
  .p-smtp { background: #f8d9de; } .p-mqtt { background: #d6f0dc; }
  .fresh { animation: flash 1.5s ease-out; }
  @keyframes flash { from { background: #fff3b0; } to { background: transparent; } }
`;
