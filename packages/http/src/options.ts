import type { SecureContextOptions } from 'node:tls';
import type { OptionKind } from '@parley/core/transport';

/**
 * TLS settings of an `https://` transport. A server needs `key` and `cert`; a client needs
 * nothing against a publicly trusted certificate, else `ca` (or `rejectUnauthorized: false`,
 * for tests only).
 */
export interface HttpTlsOptions extends SecureContextOptions {
  /**
   * Client side: refuse a server whose certificate does not verify. Server side: refuse clients
   * without a valid certificate when `requestCert` is set. Default: true.
   */
  rejectUnauthorized?: boolean | undefined;
  /** Client side: the server name to verify and to send as SNI. Default: the URL's host name. */
  servername?: string | undefined;
  /** Server side: ask clients for a certificate (mutual TLS). Default: false. */
  requestCert?: boolean | undefined;
}

/**
 * Options of {@link http}. One object configures both sides; each option says which side it
 * affects. Every limit has a default chosen to be safe on a public network.
 */
export interface HttpOptions {
  /** TLS for `https://` URLs (both sides). Default: none (a server then refuses to listen on `https://`). */
  tls?: HttpTlsOptions | undefined;

  /**
   * Client: a token sent as `Authorization: Bearer <token>`, instead of the URL's user name and
   * password (sent as HTTP Basic). Default: none.
   */
  token?: string | undefined;
  /** Client: the most connections kept open to the server (a keep-alive pool). Default: 16. */
  connections?: number | undefined;
  /** Client: how long an idle pooled connection stays open, in ms. Default: 4 000. */
  clientKeepAliveTimeoutMs?: number | undefined;
  /** Client: the longest wait to establish a connection (TCP and TLS), in ms. Default: 10 000. */
  connectTimeoutMs?: number | undefined;
  /**
   * Client: a response body of at most this many bytes (by its `content-length`) is read whole
   * before the response is returned, so reading it costs no stream; a larger or unsized one
   * streams as it arrives. `0` streams every body: what arrived before a stall, a timeout or an
   * abort can then be read (as `parley -o` keeps it). Default: 65 536.
   */
  gatheredBodyBytes?: number | undefined;
  /**
   * Client: follow redirects (301, 302, 303, 307, 308 with a `location`) of `GET`, `HEAD` and
   * `LIST`, as `fetch` does. Credentials are sent only to the URL's own origin. A redirect not
   * followed (this option off, or another method) answers `unsupported`, with the server's
   * `location` header. Default: true.
   */
  followRedirects?: boolean | undefined;
  /**
   * Client: the most redirects followed for one call; one more fails the call with an
   * `unavailable` ParleyError (not retryable). `0` follows none. Default: 5.
   */
  maxRedirects?: number | undefined;

  /**
   * Server: the largest request body accepted, in bytes. A declared `Content-Length` over it is
   * answered `413` at once, without reading the body; a chunked body is answered `413` as soon
   * as it grows past it, and the handler's read fails with `too_large`. With
   * `Expect: 100-continue`, a declared length over it is answered `413` instead of
   * `100 Continue`. Either way the connection is then closed gently (see `lingerMs`).
   * Default: 16 MiB.
   */
  maxBodyBytes?: number | undefined;
  /**
   * Server: after answering in the middle of a request body (`413`), how long the connection is
   * still read (and what arrives thrown away) before it is closed, in ms, so that the client, or
   * a proxy in front, reads the answer instead of a connection reset (which nginx reports as
   * `502`). The connection is closed sooner when the body ends or the client closes. Default: 2 000.
   */
  lingerMs?: number | undefined;
  /**
   * Server: the most bytes read and thrown away while closing gently (see `lingerMs`); past it
   * nothing more is read (the client's sending stalls) until the client closes or `lingerMs`
   * ends. A handler that answers before reading its request body to the end leaves the rest
   * read and thrown away too, up to this many bytes (within `lingerMs`), so the connection
   * carries the next request; past it the connection is closed gently. Default: 16 MiB.
   */
  lingerBytes?: number | undefined;
  /** Server: the longest wait for a request's header block, in ms (answered `408`). Default: 30 000. */
  headersTimeoutMs?: number | undefined;
  /**
   * Server: the longest wait for a whole request, header block and body, in ms (answered `408`).
   * `0` disables it; raise it for slow, large uploads. Default: 300 000.
   */
  requestTimeoutMs?: number | undefined;
  /** Server: how long an idle keep-alive connection stays open, in ms. Default: 5 000. */
  keepAliveTimeoutMs?: number | undefined;
  /** Server: the most connections open at once; further connections are closed unanswered. Default: 1 024. */
  maxConnections?: number | undefined;
  /**
   * Server: the most connections open at once from one address (an IPv6 /64 counts as one);
   * further connections from it are closed unanswered, so that one host cannot take all of
   * `maxConnections`. Behind a reverse proxy every connection comes from the proxy: raise it,
   * or turn it off with `Infinity` and let the proxy limit each client. Default: 128.
   */
  maxConnectionsPerAddress?: number | undefined;
  /**
   * Server: how long a new connection may stay silent before its first request's header block
   * is complete, in ms; it is then closed unanswered (`headersTimeoutMs` starts only with a
   * request's first byte). For `https://`, it also bounds the TLS handshake. `0` disables it.
   * Default: 5 000.
   */
  firstRequestTimeoutMs?: number | undefined;
  /** Server: the largest request line and header block, in bytes (answered `431`). Default: 16 384. */
  maxHeaderBytes?: number | undefined;
}

/** The default of each {@link HttpOptions} limit. */
export const HTTP_DEFAULTS = {
  /** Client pool size. */
  connections: 16,
  /** Client idle keep-alive, in ms. */
  clientKeepAliveTimeoutMs: 4_000,
  /** Client connect timeout, in ms. */
  connectTimeoutMs: 10_000,
  /** Redirects followed for one call. */
  maxRedirects: 5,
  /** Largest request body, in bytes (16 MiB). */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Reading on after an answer in the middle of a body, in ms. */
  lingerMs: 2_000,
  /** Bytes read and thrown away after an answer in the middle of a body (16 MiB). */
  lingerBytes: 16 * 1024 * 1024,
  /** Header block timeout, in ms. */
  headersTimeoutMs: 30_000,
  /** Whole request timeout, in ms. */
  requestTimeoutMs: 300_000,
  /** Server idle keep-alive, in ms. */
  keepAliveTimeoutMs: 5_000,
  /** Open connections at once. */
  maxConnections: 1_024,
  /** Open connections at once from one address. */
  maxConnectionsPerAddress: 128,
  /** Silence allowed before a new connection's first request head, in ms. */
  firstRequestTimeoutMs: 5_000,
  /** Request line and header block, in bytes. */
  maxHeaderBytes: 16_384,
} as const;

/** What each numeric option of {@link HttpOptions} holds (see `checkNumber`). */
export const HTTP_OPTION_KINDS: { readonly [K in keyof HttpOptions]?: OptionKind } = {
  connections: 'count',
  clientKeepAliveTimeoutMs: 'amount',
  connectTimeoutMs: 'amount',
  gatheredBodyBytes: 'amount',
  maxRedirects: 'whole',
  maxBodyBytes: 'amount',
  lingerMs: 'amount',
  lingerBytes: 'amount',
  headersTimeoutMs: 'amount',
  requestTimeoutMs: 'amount',
  keepAliveTimeoutMs: 'amount',
  maxConnections: 'count',
  maxConnectionsPerAddress: 'count',
  firstRequestTimeoutMs: 'amount',
  maxHeaderBytes: 'count',
};
