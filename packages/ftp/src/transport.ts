import { publicUrl, type Transport } from '@parley/core';
import { originOnly, parseTransportUrl } from '@parley/core/transport';
import { connectFtp } from './client/connect.js';
import type { FtpClientOptions } from './client/options.js';
import { FTP_CONTRACT } from './contract.js';
import type { FtpServerOptions } from './server/options.js';

/** Options of {@link ftp}: the server side's and the client side's. */
export interface FtpOptions {
  /** Options used when a server listens on this transport. Default: the secure defaults. */
  server?: FtpServerOptions | undefined;
  /** Options used when a client connects through this transport. */
  client?: FtpClientOptions | undefined;
}

/**
 * The FTP transport: `ftp('ftp://127.0.0.1:2121')` to listen, `ftp('ftp://alice:secret@host:2121')`
 * to connect. A server turns FTP commands into Parley requests; a client turns Parley requests
 * into FTP commands.
 *
 * @param url - `ftp://host:port` to listen on, or to connect to with credentials in the userinfo; `ftps://` for TLS
 * @param options - limits, timeouts, TLS and the passive port range
 * @returns The transport.
 *
 * @example
 * ```ts
 * const server = createServer(router, { authenticate: passwordTable({ demo: 'demo' }) });
 * await server.listen(ftp('ftp://127.0.0.1:2121'));
 * const client = createClient(ftp('ftp://demo:demo@127.0.0.1:2121'));
 * const res = await client.get('/notes/hello.txt');
 * ```
 */
export function ftp(url: string, options: FtpOptions = {}): Transport {
  const parsed = originOnly(parseTransportUrl(url, ['ftp', 'ftps'], 'ftp()'), 'ftp()');
  return {
    contract: FTP_CONTRACT,
    url: publicUrl(parsed),
    connect: (context) => connectFtp(parsed, options.client ?? {}, context?.trace),
    // The server side loads on the first listen: a process that only connects never parses it.
    listen: async (context) =>
      (await import('./server/listen.js')).listenFtp(parsed, options.server ?? {}, context),
  };
}
