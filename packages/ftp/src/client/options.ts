import type { ConnectionOptions } from 'node:tls';
import { checkNumbers } from '@parley/core/transport';

/**
 * Options of the FTP client side (`ftp(url, { client })`). The user name and password come from
 * the URL (`ftp://alice:secret@host:2121`); without them the client logs in as `anonymous`.
 */
export interface FtpClientOptions {
  /**
   * Explicit FTPS: upgrade each control connection with `AUTH TLS` before logging in, and
   * protect data connections too (`PBSZ 0`, `PROT P`).
   * Default: `true` for an `ftps://` URL or when `tls` is given, else `false`.
   */
  secure?: boolean | undefined;
  /**
   * TLS options for FTPS connections, as for `tls.connect` (`ca`, `rejectUnauthorized`,
   * `servername`...); giving them asks for FTPS unless `secure` is `false`. Default: Node's
   * defaults (the peer's certificate is verified).
   */
  tls?: ConnectionOptions | undefined;
  /**
   * Socket inactivity allowed on the control and data connections before the connection is
   * given up (the request then fails with `timeout`), in ms. `0` turns it off. Default: 30 000.
   */
  timeoutMs?: number | undefined;
  /**
   * The most control connections open at once. Requests beyond it wait for a free connection.
   * Default: 4.
   */
  poolSize?: number | undefined;
  /** How long an unused pooled connection stays open before it is closed, in ms. Default: 30 000. */
  idleTimeoutMs?: number | undefined;
}

/** {@link FtpClientOptions} with every default applied. */
export interface ResolvedFtpClientOptions {
  /** See {@link FtpClientOptions.secure}. */
  readonly secure: boolean;
  /** See {@link FtpClientOptions.tls}. */
  readonly tls: ConnectionOptions;
  /** See {@link FtpClientOptions.timeoutMs}. */
  readonly timeoutMs: number;
  /** See {@link FtpClientOptions.poolSize}. */
  readonly poolSize: number;
  /** See {@link FtpClientOptions.idleTimeoutMs}. */
  readonly idleTimeoutMs: number;
}

/** The default of each {@link FtpClientOptions} setting. */
export const FTP_CLIENT_DEFAULTS = {
  /** Socket inactivity allowed on control and data connections, in ms. */
  timeoutMs: 30_000,
  /** Control connections open at once. */
  poolSize: 4,
  /** Idle time of a pooled connection before it is closed, in ms. */
  idleTimeoutMs: 30_000,
} as const;

/** Applies the defaults of {@link FtpClientOptions} for a URL, refusing values that make no sense. */
export function resolveClientOptions(url: URL, options: FtpClientOptions): ResolvedFtpClientOptions {
  const resolved = {
    secure: options.secure ?? (url.protocol === 'ftps:' || options.tls !== undefined),
    tls: options.tls ?? {},
    timeoutMs: options.timeoutMs ?? FTP_CLIENT_DEFAULTS.timeoutMs,
    poolSize: options.poolSize ?? FTP_CLIENT_DEFAULTS.poolSize,
    idleTimeoutMs: options.idleTimeoutMs ?? FTP_CLIENT_DEFAULTS.idleTimeoutMs,
  };
  checkNumbers('FTP client', resolved, { timeoutMs: 'amount', poolSize: 'count', idleTimeoutMs: 'amount' });
  return resolved;
}
