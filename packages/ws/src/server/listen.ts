import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { ParleyError } from '@parley/core';
import { type ListenContext, type Listener, listenOn, publicUrl } from '@parley/core/transport';
import type { WsSettings } from '../options.js';
import { Hub } from './hub.js';
import { refuseUpgrade } from './refuse.js';
import type { UpgradeHost } from './upgrade-host.js';

/**
 * Starts the server side: on its own port (a `node:http` server that takes only upgrades on the
 * URL's path), or on the port of the HTTP listener given as `attachTo`.
 */
export async function listenWs(url: URL, settings: WsSettings, context: ListenContext): Promise<Listener> {
  const hub = new Hub(settings, context);
  const path = url.pathname;
  const attachTo = settings.attachTo;
  if (attachTo !== undefined) {
    if (!isUpgradeHost(attachTo))
      throw new ParleyError(
        'bad_request',
        `The listener at ${attachTo.url} cannot share its port (no attachUpgrade)`,
      );
    return attached(attachTo, path, hub);
  }
  const server = createNodeServer(url, settings);
  server.on('request', (_request, response) => {
    const text = 'This endpoint speaks Parley over WebSocket only\n';
    response.writeHead(426, { upgrade: 'websocket', 'content-type': 'text/plain; charset=utf-8' }).end(text);
  });
  // A connection that has not asked to upgrade within the handshake timeout is cut off, and
  // TCP connections are at most twice maxConnections (the gate refuses upgrades past it with 503).
  // Node.js checks request heads against the same timeout (headersTimeout); whichever of the two
  // runs first cuts the connection, Node.js's after answering 408.
  server.maxConnections = 2 * settings.maxConnections;
  server.on('connection', (socket) => {
    socket.setTimeout(settings.handshakeTimeoutMs, () => socket.destroy());
  });
  server.on('upgrade', (request, socket, head) => {
    (socket as Socket).setTimeout(0);
    if (pathOf(request.url) === path) hub.upgrade(request, socket, head);
    else refuseUpgrade(socket, 404, `No WebSocket endpoint at ${pathOf(request.url)}; try ${path}`);
  });
  const closed = new Promise<void>((resolve) => server.once('close', resolve));
  const port = await listenOn(server, url, url.protocol === 'wss:' ? 443 : 80);
  let stopped = false;
  const stopAccepting = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    server.close();
    server.closeIdleConnections();
    hub.stopAccepting();
  };
  return {
    url: publicUrl(url, port),
    stopAccepting,
    async close(deadline) {
      await stopAccepting();
      await hub.close(deadline);
      server.closeAllConnections();
      await closed;
    },
    events: { publish: (eventPath, body, headers) => hub.publish(eventPath, body, headers) },
  };
}

/** A listener sharing an HTTP listener's port: it takes that listener's upgrades on `path`. */
function attached(host: UpgradeHost, path: string, hub: Hub): Listener {
  const detach = host.attachUpgrade(path, hub.upgrade);
  const url = new URL(host.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = path;
  const stopAccepting = async (): Promise<void> => {
    detach();
    hub.stopAccepting();
  };
  return {
    url: url.href,
    stopAccepting,
    async close(deadline) {
      await stopAccepting();
      await hub.close(deadline);
    },
    events: { publish: (eventPath, body, headers) => hub.publish(eventPath, body, headers) },
  };
}

function isUpgradeHost(listener: Listener): listener is Listener & UpgradeHost {
  return typeof (listener as Partial<UpgradeHost>).attachUpgrade === 'function';
}

function pathOf(target: string | undefined): string {
  const url = target ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function createNodeServer(url: URL, settings: WsSettings): Server {
  const timeout = settings.handshakeTimeoutMs;
  const options = {
    headersTimeout: timeout,
    requestTimeout: timeout,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeout / 4))),
    keepAliveTimeout: 1000,
  };
  if (url.protocol === 'ws:') return createHttpServer(options);
  const tls = settings.tls;
  if (tls?.key === undefined || tls.cert === undefined)
    throw new ParleyError('bad_request', 'Listening on wss:// needs the tls.key and tls.cert options');
  return createHttpsServer({ ...tls, ...options });
}
