import { ParleyError } from '@parley/core';
import type { Transport } from '@parley/core/transport';
import { browserOpener } from './client/socket-browser.js';
import type { WsClientOptions } from './options.js';
import { wsTransport } from './transport-shared.js';

/**
 * The WebSocket transport in browsers: the client side only, on the platform's WebSocket.
 * Listening is refused with `unsupported`.
 *
 * @example
 * ```ts
 * const client = createClient(ws('wss://notes.example/parley'));
 * const res = await client.get('/notes/hello.txt');
 * ```
 */
export function ws(url: string, options: WsClientOptions = {}): Transport {
  return wsTransport(url, {
    opener: (parsed) => browserOpener(parsed, options),
    listen: async () => {
      throw new ParleyError('unsupported', 'A browser cannot listen for WebSocket connections', {
        retryable: false,
      });
    },
    maxPayload: options.maxPayload ?? 1024 * 1024,
  });
}
