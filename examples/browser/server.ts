import { createRouter, createServer, logRequests, respond, type Server } from '@parley/core';
import { http } from '@parley/http';
import { type Broker, mqtt, startBroker } from '@parley/mqtt';
import { ws } from '@parley/ws';
import type { Endpoints } from './shared.js';

/** The running example: one notes service over HTTP, WebSocket and MQTT, and the page. */
export interface ExampleServer {
  /** The Parley server. */
  readonly server: Server;
  /** Where clients reach it. */
  readonly endpoints: Endpoints;
  /** The page, on the HTTP port (`/index.html`: on HTTP a GET of `/` is a LIST). */
  readonly pageUrl: string;
  /** Stops the server and the broker. */
  close(): Promise<void>;
}

/**
 * Starts the notes service on 127.0.0.1: HTTP and WebSocket on one port (the page is served
 * there too, so it calls its own origin), MQTT through an embedded broker with a WebSocket port.
 * `pageScript` is the bundled page (see bundle.ts); `port` is the HTTP port (0: any free one).
 */
export async function start(pageScript: string, port = 0): Promise<ExampleServer> {
  const notes = new Map<string, string>();
  const router = createRouter()
    .put('/notes/:name', async (req) => {
      notes.set(req.path, await req.body.text({ limit: 64 * 1024 }));
      return respond('created');
    })
    .get('/notes/:name', async (req) => {
      const text = notes.get(req.path);
      return text === undefined ? respond('not_found') : respond('ok', text);
    });
  const broker: Broker = await startBroker({ port: 0, wsPort: 0 });
  const endpoints: { http?: string; ws?: string; mqtt?: string } = {};
  router
    .get('/index.html', async () =>
      respond('ok', page(endpoints as Endpoints), { 'content-type': 'text/html; charset=utf-8' }),
    )
    .get('/page.js', async () =>
      respond('ok', pageScript, { 'content-type': 'text/javascript; charset=utf-8' }),
    );
  // One log line per request, whichever protocol brought it.
  const server = createServer(router, { middleware: [logRequests()] });
  const web = await server.listen(http(`http://127.0.0.1:${port}`));
  const socket = await server.listen(ws(`${web.url.replace(/^http/, 'ws')}parley`, { attachTo: web }));
  await server.listen(mqtt(`${broker.url}/notes`));
  Object.assign(endpoints, { http: web.url, ws: socket.url, mqtt: `${broker.wsUrl}/notes` });
  return {
    server,
    endpoints: endpoints as Endpoints,
    pageUrl: `${web.url}index.html`,
    async close() {
      await server.close({ timeoutMs: 2000 });
      await broker.close();
    },
  };
}

function page(endpoints: Endpoints): string {
  return `<!doctype html>
<meta charset="utf-8">
<title>Parley in the browser</title>
<script id="endpoints" type="application/json">${JSON.stringify(endpoints)}</script>
<h1>Parley in the browser</h1>
<ul id="results"></ul>
<script type="module" src="/page.js"></script>
`;
}
