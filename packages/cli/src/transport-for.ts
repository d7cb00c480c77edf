import type { Transport } from '@parley/core';
import { CliError, EXIT } from './exit.js';

/** Makes a transport from a URL. */
export type TransportFactory = (url: string) => Transport;

/**
 * Each scheme's transport package, imported only when a URL names it (so `parley --version`
 * and an HTTP call never load MQTT). A new transport is one line here.
 */
const LOADERS: Readonly<Record<string, () => Promise<TransportFactory>>> = {
  http: async () => httpWithoutRedirects(),
  https: async () => httpWithoutRedirects(),
  ftp: async () => (await import('@parley/ftp')).ftp,
  ftps: async () => (await import('@parley/ftp')).ftp,
  smtp: async () => (await import('@parley/smtp')).smtp,
  smtps: async () => (await import('@parley/smtp')).smtp,
  lmtp: async () => (await import('@parley/smtp')).smtp,
  mqtt: async () => (await import('@parley/mqtt')).mqtt,
  mqtts: async () => (await import('@parley/mqtt')).mqtt,
  ws: async () => (await import('@parley/ws')).ws,
  wss: async () => (await import('@parley/ws')).ws,
};

/** HTTP that reports redirects instead of following them: `parley` follows them itself with `-L`, as curl. */
async function httpWithoutRedirects(): Promise<TransportFactory> {
  const { http } = await import('@parley/http');
  return (url) => http(url, { followRedirects: false });
}

/** The URL schemes {@link loadTransport} knows. */
export const SCHEMES: readonly string[] = Object.keys(LOADERS);

/**
 * The transport for a URL, chosen by its scheme (its package loaded on first use). An unknown
 * scheme is a {@link CliError} with exit code 1 naming the known ones.
 *
 * @param scheme - the scheme without its colon, such as `ftp`
 * @param url - the URL to make the transport from
 * @returns The transport.
 *
 * @example
 * ```ts
 * const transport = await loadTransport('ftp', 'ftp://demo:demo@127.0.0.1:2121');
 * const client = createClient(transport);
 * ```
 */
export async function loadTransport(scheme: string, url: string): Promise<Transport> {
  const load = LOADERS[scheme];
  if (load === undefined) {
    throw new CliError(EXIT.unknownScheme, `Unknown scheme ${scheme}: (known: ${SCHEMES.join(', ')})`);
  }
  const factory = await load();
  try {
    return factory(url);
  } catch (error) {
    throw new CliError(EXIT.badUrl, (error as Error).message);
  }
}
