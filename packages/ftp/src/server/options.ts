import type { SecureContextOptions } from 'node:tls';
import { type Authenticate, ParleyError } from '@parley/core';
import { checkNumbers } from '@parley/core/transport';

/** The certificate and key of an FTPS server (explicit TLS, `AUTH TLS`), as `node:tls` takes them. */
export type FtpTlsOptions = SecureContextOptions;

/** A range of TCP ports for passive data connections, both ends included. */
export interface PassivePortRange {
  /** The lowest port. */
  readonly min: number;
  /** The highest port. */
  readonly max: number;
}

/** Options of the FTP server side (`ftp(url, { server })`). Every limit has a default. */
export interface FtpServerOptions {
  /**
   * Certificate and key for explicit FTPS (`AUTH TLS`, `PBSZ 0`, `PROT P`). Default: none (`AUTH`
   * answers 502).
   */
  tls?: FtpTlsOptions | undefined;
  /**
   * Refuse `USER` (534) and data transfers (521) until `AUTH TLS` and `PROT P`. Default: true
   * for an `ftps://` URL, false for `ftp://`.
   */
  requireTls?: boolean | undefined;
  /**
   * Checks FTP logins, in place of the server's own `authenticate` hook (so FTP can ask for a
   * login while the other transports of the same server stay open). Default: the server's hook.
   */
  authenticate?: Authenticate | undefined;
  /**
   * Without an `authenticate` hook, accept any user name and password. Default: true. When false
   * and there is no hook, every login is refused.
   */
  anonymous?: boolean | undefined;
  /** Delay before answering a refused `PASS`, in milliseconds. Default: 1000. */
  loginFailureDelayMs?: number | undefined;
  /** Refused logins after which the connection is closed (421). Default: 3. */
  maxLoginAttempts?: number | undefined;
  /**
   * Allow active mode (`PORT`, `EPRT`), connecting only back to the control connection's own
   * address and never to a port below 1024. Default: false (502).
   */
  activeMode?: boolean | undefined;
  /**
   * Ports for passive data connections, drawn at random. Default: none, an ephemeral port
   * chosen by the system.
   */
  passivePorts?: PassivePortRange | undefined;
  /**
   * The IPv4 address announced in `PASV` replies (for a server behind NAT). Default: the local
   * address of the control connection.
   */
  passiveAddress?: string | undefined;
  /** Control connections at once; more get 421 and are closed. Default: 1024. */
  maxConnections?: number | undefined;
  /**
   * Control connections at once from one remote address (an IPv6 /64 counts as one); more get
   * 421 and are closed, so that one address cannot take every connection. Default: 64.
   */
  maxConnectionsPerAddress?: number | undefined;
  /**
   * How long a connection may take to log in (`USER` and `PASS` accepted), in milliseconds;
   * then it gets 421 and is closed. Default: 30000.
   */
  loginTimeoutMs?: number | undefined;
  /** Close a logged-in control connection idle this long, with 421, in milliseconds. Default: 300000. */
  idleTimeoutMs?: number | undefined;
  /**
   * How long a data connection may take to open, or stall without a byte moving, in
   * milliseconds (425 or 426). Default: 30000.
   */
  dataTimeoutMs?: number | undefined;
  /** The longest command line in bytes; a longer one gets 500 and the connection closes. Default: 4096. */
  maxCommandLength?: number | undefined;
  /**
   * The largest request body (upload: `STOR`, `APPE`, `STOU`) in bytes; a larger one is cut off
   * with 552 and the handler's body read fails with `too_large`. FTP moves files, so the default
   * is larger than HTTP's, but a server never takes an upload without end: pass
   * `Number.POSITIVE_INFINITY` for no limit. Default: 1 GiB (1 073 741 824).
   */
  maxBodyBytes?: number | undefined;
  /** @deprecated The old name of {@link FtpServerOptions.maxBodyBytes}, used when that is not set. */
  maxUploadBytes?: number | undefined;
  /**
   * How long the control connection must stay open after an upload's data connection ended
   * before the upload counts as complete, in milliseconds. A client that dies mid-upload closes
   * both connections at once; when the control connection closes within this time, the request
   * body fails instead of ending, and the handler does not commit a truncated file. Every upload
   * takes this much longer. Default: 25.
   */
  uploadConfirmMs?: number | undefined;
  /** The largest listing body a handler may answer to `LIST`, in bytes (451 above). Default: 16 MiB. */
  maxListingBytes?: number | undefined;
  /**
   * The bytes of read buffers all downloads of a listener share when it reads files itself (a
   * handler's body made with `fs.createReadStream`): a download alone reads up to 1 MiB at a time,
   * and once the shared bytes are taken each further download reads 64 KiB at a time, so memory
   * stays bounded however many clients download. Default: 4 MiB.
   */
  maxReadBufferBytes?: number | undefined;
  /** The text of the 220 greeting. Default: `Parley FTP server ready`. */
  greeting?: string | undefined;
}

/** {@link FtpServerOptions} with every default applied. */
export interface ResolvedServerOptions {
  readonly tls: FtpTlsOptions | undefined;
  readonly requireTls: boolean;
  readonly authenticate: Authenticate | undefined;
  readonly anonymous: boolean;
  readonly loginFailureDelayMs: number;
  readonly maxLoginAttempts: number;
  readonly activeMode: boolean;
  readonly passivePorts: PassivePortRange | undefined;
  readonly passiveAddress: string | undefined;
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  readonly loginTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly dataTimeoutMs: number;
  readonly maxCommandLength: number;
  readonly maxBodyBytes: number;
  readonly uploadConfirmMs: number;
  readonly maxListingBytes: number;
  readonly maxReadBufferBytes: number;
  readonly greeting: string;
}

/** The default of each {@link FtpServerOptions} setting. */
export const FTP_SERVER_DEFAULTS = {
  /** Any login is accepted when there is no `authenticate` hook. */
  anonymous: true,
  /** Delay before answering a refused `PASS`, in ms. */
  loginFailureDelayMs: 1000,
  /** Refused logins before 421 and close. */
  maxLoginAttempts: 3,
  /** Active mode (`PORT`, `EPRT`) is off. */
  activeMode: false,
  /** Control connections at once. */
  maxConnections: 1024,
  /** Control connections at once from one address (an IPv6 /64 counts as one). */
  maxConnectionsPerAddress: 64,
  /** Time to log in, in ms. */
  loginTimeoutMs: 30_000,
  /** Idle time of a logged-in control connection, in ms. */
  idleTimeoutMs: 300_000,
  /** Time for a data connection to open, or to stall, in ms. */
  dataTimeoutMs: 30_000,
  /** Longest command line, in bytes. */
  maxCommandLength: 4096,
  /** Largest upload, in bytes (1 GiB). */
  maxBodyBytes: 1024 * 1024 * 1024,
  /** Wait before an upload counts as complete, in ms. */
  uploadConfirmMs: 25,
  /** Largest listing body from a handler, in bytes (16 MiB). */
  maxListingBytes: 16 * 1024 * 1024,
  /** Read buffers the downloads of a listener share, in bytes (4 MiB). */
  maxReadBufferBytes: 4 * 1024 * 1024,
  /** The text of the 220 greeting. */
  greeting: 'Parley FTP server ready',
} as const;

/** Applies the defaults and checks the values; a value that makes no sense is `bad_request`. */
export function resolveServerOptions(options: FtpServerOptions): ResolvedServerOptions {
  const range = options.passivePorts;
  if (range !== undefined && !(range.min >= 1 && range.max <= 65535 && range.min <= range.max)) {
    throw new ParleyError('bad_request', `Invalid passive port range ${range.min}-${range.max}`);
  }
  const d = FTP_SERVER_DEFAULTS;
  const resolved: ResolvedServerOptions = {
    tls: options.tls,
    requireTls: options.requireTls ?? false,
    authenticate: options.authenticate,
    anonymous: options.anonymous ?? d.anonymous,
    loginFailureDelayMs: options.loginFailureDelayMs ?? d.loginFailureDelayMs,
    maxLoginAttempts: options.maxLoginAttempts ?? d.maxLoginAttempts,
    activeMode: options.activeMode ?? d.activeMode,
    passivePorts: range,
    passiveAddress: options.passiveAddress,
    maxConnections: options.maxConnections ?? d.maxConnections,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? d.maxConnectionsPerAddress,
    loginTimeoutMs: options.loginTimeoutMs ?? d.loginTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? d.idleTimeoutMs,
    dataTimeoutMs: options.dataTimeoutMs ?? d.dataTimeoutMs,
    maxCommandLength: options.maxCommandLength ?? d.maxCommandLength,
    maxBodyBytes: options.maxBodyBytes ?? options.maxUploadBytes ?? d.maxBodyBytes,
    uploadConfirmMs: options.uploadConfirmMs ?? d.uploadConfirmMs,
    maxListingBytes: options.maxListingBytes ?? d.maxListingBytes,
    maxReadBufferBytes: options.maxReadBufferBytes ?? d.maxReadBufferBytes,
    greeting: options.greeting ?? d.greeting,
  };
  checkNumbers('FTP server', resolved, {
    loginFailureDelayMs: 'amount',
    maxLoginAttempts: 'whole',
    maxConnections: 'whole',
    maxConnectionsPerAddress: 'whole',
    loginTimeoutMs: 'amount',
    idleTimeoutMs: 'amount',
    dataTimeoutMs: 'amount',
    maxCommandLength: 'amount',
    maxBodyBytes: 'amount',
    maxReadBufferBytes: 'amount',
    uploadConfirmMs: 'amount',
    maxListingBytes: 'amount',
  });
  return resolved;
}
