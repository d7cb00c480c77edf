import { checkNumbers, publicUrl, type Transport } from '@parley/core/transport';
import { connectHttp } from './client/connect.js';
import { HTTP_CONTRACT } from './contract.js';
import { HTTP_OPTION_KINDS, type HttpOptions } from './options.js';
import { parseOriginUrl } from './origin-url.js';

/**
 * The HTTP/1.1 transport. `http('http://127.0.0.1:8080')` listens (a `node:http` server) or
 * connects (an undici keep-alive pool); `https://` URLs use TLS. A client's URL may carry
 * credentials (`http://alice:secret@host:8080`), sent as HTTP Basic; they never appear in
 * the transport's `url`. The URL's path must be `/`.
 *
 * @param url - `http://host:port` (or `https://`) to listen on or to connect to, with credentials in the userinfo
 * @param options - limits, timeouts and TLS
 * @returns The transport.
 *
 * @example
 * ```ts
 * const server = createServer(router);
 * const listener = await server.listen(http('http://127.0.0.1:0'));
 * const client = createClient(http(listener.url));
 * const res = await client.get('/notes/hello.txt');
 * ```
 */
export function http(url: string, options: HttpOptions = {}): Transport {
  const parsed = parseOriginUrl(url);
  checkNumbers('HTTP', options, HTTP_OPTION_KINDS);
  return {
    contract: HTTP_CONTRACT,
    url: publicUrl(parsed),
    connect: (context) => connectHttp(parsed, options, context?.trace),
    // The server side loads on the first listen: a process that only connects never parses it.
    listen: async (context) => (await import('./server/listen.js')).listenHttp(parsed, options, context),
  };
}
