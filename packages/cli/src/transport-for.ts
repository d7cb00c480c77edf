import type { Transport } from '@parley/core';
import { CliError, EXIT } from './exit.js';
import { type StartTlsRequest, smtpTlsOptions } from './smtp-tls.js';
import type { TlsTrust } from './tls-trust.js';

/** Options every transport takes: the TLS trust of `-k` and `--cacert`; STARTTLS for SMTP. */
export interface TransportOptions {
  readonly tls?: TlsTrust | undefined;
  /** `--ssl` or `--ssl-reqd` (SMTP and LMTP only). */
  readonly startTls?: StartTlsRequest | undefined;
}

/** Makes a transport from a URL. */
export type TransportFactory = (url: string, options?: TransportOptions) => Transport;

/**
 * Each scheme's transport package, imported only when a URL names it (so `parley --version`
 * and an HTTP call never load MQTT). A new transport is one line here.
 */
const LOADERS: Readonly<Record<string, () => Promise<TransportFactory>>> = {
  http: async () => httpWithoutRedirects(),
  https: async () => httpWithoutRedirects(),
  ftp: async () => ftpWithTls(),
  ftps: async () => ftpWithTls(),
  smtp: async () => smtpWithTls(),
  smtps: async () => smtpWithTls(),
  lmtp: async () => smtpWithTls(),
  mqtt: async () => withTls((await import('@parley/mqtt')).mqtt),
  mqtts: async () => withTls((await import('@parley/mqtt')).mqtt),
  ws: async () => withTls((await import('@parley/ws')).ws),
  wss: async () => withTls((await import('@parley/ws')).ws),
};

/**
 * HTTP that reports redirects instead of following them: `parley` follows them itself with `-L`,
 * as curl. Every body streams as it arrives (none is gathered first), so what came before a
 * stall is written when `--max-time` ends the transfer, as curl writes it.
 */
async function httpWithoutRedirects(): Promise<TransportFactory> {
  const { http } = await import('@parley/http');
  return (url, options) => http(url, { followRedirects: false, gatheredBodyBytes: 0, tls: options?.tls });
}

/** A transport's factory given only the TLS trust, and only when there is one. */
function withTls(make: (url: string, options?: { tls: TlsTrust }) => Transport): TransportFactory {
  return (url, options) => (options?.tls === undefined ? make(url) : make(url, { tls: options.tls }));
}

/** FTP's client takes its TLS settings among the client's options. */
async function ftpWithTls(): Promise<TransportFactory> {
  const { ftp } = await import('@parley/ftp');
  return withTls((url, options) => (options === undefined ? ftp(url) : ftp(url, { client: options })));
}

/** SMTP's TLS settings serve STARTTLS too, which `--ssl` and `--ssl-reqd` ask for (see `smtpTlsOptions`). */
async function smtpWithTls(): Promise<TransportFactory> {
  const { smtp, mustStartTls } = await import('@parley/smtp');
  return (url, options) => smtp(url, smtpTlsOptions(url, options?.tls, options?.startTls, mustStartTls));
}

/** The URL schemes {@link loadTransport} knows. */
export const SCHEMES: readonly string[] = Object.keys(LOADERS);

/**
 * The transport for a URL, chosen by its scheme (its package loaded on first use). An unknown
 * scheme is a {@link CliError} with exit code 1 naming the known ones.
 *
 * @param scheme - the scheme without its colon, such as `ftp`
 * @param url - the URL to make the transport from
 * @param options - the TLS trust (`-k`, `--cacert`), if any
 * @returns The transport.
 *
 * @example
 * ```ts
 * const transport = await loadTransport('ftp', 'ftp://demo:demo@127.0.0.1:2121');
 * const client = createClient(transport);
 * ```
 */
export async function loadTransport(
  scheme: string,
  url: string,
  options?: TransportOptions,
): Promise<Transport> {
  const load = LOADERS[scheme];
  if (load === undefined) {
    throw new CliError(EXIT.unknownScheme, `Unknown scheme ${scheme}: (known: ${SCHEMES.join(', ')})`);
  }
  const factory = await load();
  try {
    return factory(url, options);
  } catch (error) {
    throw new CliError(EXIT.badUrl, (error as Error).message);
  }
}
