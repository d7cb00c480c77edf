import type { SecureContextOptions } from 'node:tls';
import { checkNumbers, type Listener } from '@parley/core/transport';

/**
 * TLS settings of a `wss://` transport (Node.js). A server on its own port needs `key` and
 * `cert`; a client needs nothing against a publicly trusted certificate, else `ca`.
 */
export interface WsTlsOptions extends SecureContextOptions {
  /** Client side: refuse a server whose certificate does not verify. Default: true. */
  rejectUnauthorized?: boolean | undefined;
}

/** Options of the client side, the only side in browsers. */
export interface WsClientOptions {
  /**
   * Client: a token sent as `Authorization: Bearer <token>` on the upgrade, instead of the URL's
   * user name and password (sent as HTTP Basic). Node.js only: browsers cannot set the field.
   * Default: none.
   */
  token?: string | undefined;
  /** Client: the longest wait for the connection and its upgrade, in ms. Default: 10 000. */
  connectTimeoutMs?: number | undefined;
  /**
   * Both sides: once a side has sent its close frame, the longest wait for the other's, in ms;
   * then the TCP connection is cut. A client so never keeps its process alive for a server that
   * ignores the close frame (Node.js only: browsers close on their own terms); a server so never
   * keeps a connection it closed (idle, shutting down, a limit broken) open for a client that
   * ignores it. Default: 1 000.
   */
  closeTimeoutMs?: number | undefined;
  /** Both sides: the largest frame (WebSocket message) taken, in bytes; a larger one closes the connection with 1009. Default: 1 MiB. */
  maxPayload?: number | undefined;
}

/**
 * Options of {@link ws}. One object configures both sides; each option says which side it
 * affects. Every limit has a default (see {@link WS_DEFAULTS}).
 */
export interface WsOptions extends WsClientOptions {
  /** TLS for `wss://` URLs (both sides, Node.js). Default: none (a server then refuses to listen on `wss://`). */
  tls?: WsTlsOptions | undefined;
  /**
   * Server: share the port of a Parley HTTP listener (what `server.listen(http(...))` returns)
   * instead of opening one: upgrades on this transport's URL path are taken over, every other
   * request stays HTTP's. The URL's host and port are then the HTTP listener's; only its path
   * counts. Any listener with an `attachUpgrade` method (see {@link UpgradeHost}) will do.
   * Default: none (own port).
   */
  attachTo?: Listener | undefined;
  /**
   * Server: the `Origin` values accepted on upgrade, exactly as browsers send them
   * (`https://app.example`), or `'*'` for any. An upgrade without `Origin` (not from a browser)
   * is always accepted. Default: only the origin of the same host as the request's `Host`.
   */
  origins?: readonly string[] | undefined;
  /**
   * Server: when given, an upgrade whose `Host` names anything but an IP address, `localhost`
   * or one of these host names is refused with 403 (as core's `refuseUnknownHosts`: a page whose
   * name an attacker points at this address cannot connect through a visitor's browser).
   * Default: any host.
   */
  allowedHosts?: readonly string[] | undefined;
  /** Server: the most requests in flight on one connection; more are answered `too_many_requests`. Default: 128. */
  maxInFlight?: number | undefined;
  /** Server: the largest request body, in bytes; larger ones are answered `too_large`. Default: 16 MiB. */
  maxBodyBytes?: number | undefined;
  /**
   * Server: request body bytes received and not yet read by their handlers that all connections
   * together may hold (each connection holds at most 16 MiB of them). Past it, the request holding
   * the most on the connection whose bytes went over is refused with `too_many_requests`.
   * Default: 256 MiB.
   */
  maxUnreadBodyBytes?: number | undefined;
  /**
   * Server: the same bytes, for all connections from one address (an IPv6 /64 counts as one)
   * together. Default: 64 MiB.
   */
  maxUnreadBodyBytesPerAddress?: number | undefined;
  /** Server: the most connections open at once; more upgrades are answered 503. Default: 1 024. */
  maxConnections?: number | undefined;
  /**
   * Server: the most connections open at once from one address (an IPv6 /64 counts as one);
   * more upgrades are answered 429. Default: 64.
   */
  maxConnectionsPerAddress?: number | undefined;
  /** Server: the most event subscriptions on one connection; more are refused. Default: 64. */
  maxSubscriptions?: number | undefined;
  /**
   * Server: whether events a client publishes are relayed to the other connections'
   * subscriptions. `false` closes a connection that publishes one (code 1008), so that only the
   * server's own `publish` reaches subscribers. Default: `true`.
   */
  relayClientEvents?: boolean | undefined;
  /** Server: the longest wait for an upgrade request's head and its authentication, in ms. Default: 10 000. */
  handshakeTimeoutMs?: number | undefined;
  /**
   * Server: a connection with no request in flight and no subscription closes (code 1000) after
   * this long without a frame, in ms. Clients reconnect on their next request. A request body
   * its handler waits for that gets no bytes for this long fails the handler's read with
   * `timeout`. Default: 120 000.
   */
  idleTimeoutMs?: number | undefined;
}

/** The default of each {@link WsOptions} limit. */
export const WS_DEFAULTS = {
  /** Client connect and upgrade timeout, in ms. */
  connectTimeoutMs: 10_000,
  /** Wait for the other side's close frame, in ms. */
  closeTimeoutMs: 1_000,
  /** Largest frame, in bytes (1 MiB). */
  maxPayload: 1024 * 1024,
  /** Requests in flight per connection. */
  maxInFlight: 128,
  /** Largest request body, in bytes (16 MiB). */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Unread request body bytes of all connections, in bytes (256 MiB). */
  maxUnreadBodyBytes: 256 * 1024 * 1024,
  /** Unread request body bytes of the connections from one address, in bytes (64 MiB). */
  maxUnreadBodyBytesPerAddress: 64 * 1024 * 1024,
  /** Connections open at once. */
  maxConnections: 1_024,
  /** Connections open at once from one address. */
  maxConnectionsPerAddress: 64,
  /** Subscriptions per connection. */
  maxSubscriptions: 64,
  /** Events clients publish reach the other subscribers. */
  relayClientEvents: true,
  /** Upgrade head and authentication, in ms. */
  handshakeTimeoutMs: 10_000,
  /** Idle connection, in ms. */
  idleTimeoutMs: 120_000,
} as const;

/** {@link WsOptions} with every default filled in. */
export type WsSettings = {
  readonly [K in Exclude<keyof WsOptions, OptionalSetting>]-?: Exclude<WsOptions[K], undefined>;
} & Pick<WsOptions, OptionalSetting>;

/** The options without a default. */
type OptionalSetting = 'token' | 'attachTo' | 'origins' | 'allowedHosts' | 'tls';

/** Fills in the defaults of {@link WsOptions}. */
export function resolveOptions(options: WsOptions = {}): WsSettings {
  checkNumbers('WebSocket', options, {
    connectTimeoutMs: 'amount',
    closeTimeoutMs: 'amount',
    maxPayload: 'count',
    maxInFlight: 'count',
    maxBodyBytes: 'amount',
    maxUnreadBodyBytes: 'amount',
    maxUnreadBodyBytesPerAddress: 'amount',
    maxConnections: 'count',
    maxConnectionsPerAddress: 'count',
    maxSubscriptions: 'whole',
    handshakeTimeoutMs: 'amount',
    idleTimeoutMs: 'amount',
  });
  return { ...WS_DEFAULTS, ...definedOf(options) } as WsSettings;
}

function definedOf(options: WsOptions): WsOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
