import { ParleyError } from '../error.js';
import { hostOf } from './url-parts.js';

/** What {@link listenOn} needs of a server: `node:net`, `node:http`, `node:tls` servers all have it. */
export interface Bindable {
  /** Starts listening on a port and host. */
  listen(port: number, host: string, callback: () => void): unknown;
  /** Adds a one-time `error` listener. */
  once(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  /** Removes an `error` listener. */
  off(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  /** The bound address. */
  address(): { port: number } | string | null;
}

/**
 * Binds a server to a listener URL's host and port (`defaultPort` when the URL has none; 0 for
 * any free port) and resolves with the real port. The one rule for every transport: an address
 * in use is a `conflict`, any other failure `unavailable`, both naming the address.
 *
 * @param server - the `net`, `http` or `tls` server to bind
 * @param url - the listener URL: its host and port
 * @param defaultPort - the port when the URL names none
 * @returns The port the server is bound to.
 *
 * @example
 * ```ts
 * const port = await listenOn(net.createServer(onConnection), new URL('ftp://127.0.0.1:0'), 21);
 * ```
 */
export function listenOn(server: Bindable, url: URL, defaultPort: number): Promise<number> {
  const port = url.port === '' ? defaultPort : Number(url.port);
  const host = hostOf(url) || '127.0.0.1';
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void => {
      const status = error.code === 'EADDRINUSE' ? 'conflict' : 'unavailable';
      const reason = error.code === 'EADDRINUSE' ? 'the address is in use' : error.message;
      reject(new ParleyError(status, `Cannot listen on ${url.host || host}: ${reason}`, { cause: error }));
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
