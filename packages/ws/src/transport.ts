import type { Transport } from '@parley/core/transport';
import { nodeOpener } from './client/socket-node.js';
import { resolveOptions, type WsOptions } from './options.js';
import { listenWs } from './server/listen.js';
import { wsTransport } from './transport-shared.js';

/**
 * The WebSocket transport. `ws('ws://127.0.0.1:8080/parley')` listens (a `ws` server on its own
 * port, or on a Parley HTTP listener's port with `attachTo`) or connects (one connection that
 * carries every request, streamed in frames, and events). A client's URL may carry credentials
 * (`ws://alice:secret@host:8080/parley`), sent as HTTP Basic on the upgrade; they never appear
 * in the transport's `url`. `wss://` URLs use TLS.
 *
 * @param url - `ws://host:port/<path>` (or `wss://`) to listen on or to connect to, with credentials in the userinfo
 * @param options - limits, timeouts, TLS and `attachTo`
 * @returns The transport.
 *
 * @example
 * ```ts
 * const server = createServer(router);
 * const listener = await server.listen(ws('ws://127.0.0.1:0/parley'));
 * const client = createClient(ws(listener.url));
 * const res = await client.get('/notes/hello.txt');
 * ```
 */
export function ws(url: string, options: WsOptions = {}): Transport {
  const settings = resolveOptions(options);
  return wsTransport(url, {
    opener: (parsed) => nodeOpener(parsed, settings),
    listen: (parsed, context) => listenWs(parsed, settings, context),
    maxPayload: settings.maxPayload,
  });
}
