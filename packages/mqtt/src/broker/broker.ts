import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Authenticate } from '@parley/core';
import {
  AddressCounter,
  type AuthThrottleOptions,
  allowedHostSet,
  ConnectionGate,
  checkNumbers,
  knownHost,
  listenOn,
  timerDelay,
} from '@parley/core/transport';
import { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { MQTT_DEFAULTS, MQTT_MAX_PACKET_BYTES } from '../options.js';
import { PACKET_OVERHEAD_BYTES } from '../session.js';
import { BrokerAuth } from './broker-auth.js';
import { registerEmbedded } from './embedded-brokers.js';
import { guardPacketSize } from './packet-guard.js';
import { boundRetained } from './retained-bound.js';
import { RetainedDeliveries } from './retained-deliveries.js';
import { SubscriptionBound } from './subscription-bound.js';
import { boundUnreleased } from './unreleased-bound.js';
import { boundWriteBacklog } from './write-backlog.js';
import { watchWebSocketFrames } from './ws-frame-watch.js';
import { originAllowed } from './ws-origin.js';

/** Options of {@link startBroker}. */
export interface StartBrokerOptions {
  /** The MQTT (TCP) port. Default: 1883; 0 picks a free port. */
  port?: number | undefined;
  /** The address to listen on. Default: `127.0.0.1`. */
  host?: string | undefined;
  /** A WebSocket port too, so a browser page can connect (0 picks a free one). Default: none. */
  wsPort?: number | undefined;
  /**
   * Checks the CONNECT user name and password of every client; a client without credentials is
   * refused. Default: none; then the `authenticate` hooks of the Parley servers listening on
   * this broker check the clients that send credentials (see docs/security.md).
   */
  authenticate?: Authenticate | undefined;
  /**
   * Slows credential guessing down per remote address (see `AuthThrottle`) for the
   * `authenticate` option; `false` turns it off. (Servers' hooks are throttled by their server.)
   * Default: the core defaults.
   */
  authThrottle?: AuthThrottleOptions | false | undefined;
  /**
   * The largest body a message may carry, in bytes: a connection that announces a larger packet
   * (the body plus 256 KiB for topic and properties) in its fixed header is closed before the
   * packet is read. Default: 16 777 216 (16 MiB), as `mqtt()`'s `maxBodyBytes`.
   */
  maxBodyBytes?: number | undefined;
  /**
   * Origins (such as `https://app.example`, or `*` for any) whose pages may connect over
   * WebSocket besides those of the broker's own host name; other upgrades get 403. An upgrade
   * without `Origin` (no browser) is always allowed. Default: none.
   */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * When given, a WebSocket upgrade whose `Host` names anything but an IP address, `localhost`
   * or one of these host names gets 403 (a page whose name an attacker points at this address
   * cannot connect through a visitor's browser). Default: any host.
   */
  allowedHosts?: readonly string[] | undefined;
  /** Connections at once (MQTT and WebSocket); more are closed at once. Default: 1 024. */
  maxConnections?: number | undefined;
  /** Connections at once from one remote address (an IPv6 /64 counts as one). Default: 128. */
  maxConnectionsPerAddress?: number | undefined;
  /**
   * Bytes of packets of 64 KiB or more being received at once, all connections together (the
   * broker holds a packet whole until its last byte arrives): a connection announcing a packet
   * past what is left is closed. Default: 256 MiB, or four packets of the largest size if more.
   */
  maxReceivingBytes?: number | undefined;
  /**
   * The same bytes from one remote address (an IPv6 /64 counts as one). Default: 64 MiB, or one
   * packet of the largest size if more.
   */
  maxReceivingBytesPerAddress?: number | undefined;
  /**
   * Bytes of QoS 2 messages all clients together have sent and not released (no PUBREL yet):
   * the PUBLISH that would go over is not stored and its connection is closed. (Each client
   * may hold four packets of the largest size, at least 64 MiB.) Default: 256 MiB, or four
   * clients' worth if more.
   */
  maxUnreleasedBytes?: number | undefined;
  /**
   * Bytes all retained messages may take, each counted as its payload, its topic and 1 KiB for
   * what the broker holds besides: the PUBLISH that would go over is not stored and its
   * connection is closed. Default: 64 MiB.
   */
  maxRetainedBytes?: number | undefined;
  /**
   * Retained messages (topics) kept at once; every new subscription is matched against all of
   * them. The PUBLISH that would go over is not stored and its connection is closed. Default: 1 000.
   */
  maxRetainedMessages?: number | undefined;
  /**
   * Retained messages handed to one connection over its life (each new subscription gets the
   * stored ones matching it); past it, retained messages are not sent to that connection, live
   * ones still are. Default: 10 000.
   */
  maxRetainedPerConnection?: number | undefined;
  /** How long a new connection may take to send CONNECT, in ms. Default: 10 000. */
  connectTimeoutMs?: number | undefined;
  /** The longest keep-alive a client may ask for, in seconds (0, none, is refused). Default: 600. */
  maxKeepaliveSeconds?: number | undefined;
  /**
   * Topic filters (`notes-service/events/#`) only the Parley servers listening on this broker
   * may publish on: a message from any other client on a matching topic is refused and its
   * connection closed, so that no client can send events (or anything else there) in a server's
   * name. Default: none.
   */
  serverOnlyTopics?: readonly string[] | undefined;
}

/** A running embedded broker. */
export interface Broker {
  /** `mqtt://host:port`: append `/<service-prefix>` for {@link mqtt}. */
  readonly url: string;
  /** `ws://host:port` when a WebSocket port was asked for. */
  readonly wsUrl: string | undefined;
  /** Disconnects every client and frees the ports. */
  close(): Promise<void>;
}

/**
 * Starts an embedded MQTT 3.1.1 broker (aedes) in this process: the zero-setup default for
 * examples and tests. It has no shared subscriptions, so every server instance on it gets every
 * request: run one instance per service on it, or use an MQTT 5 broker to scale out.
 *
 * @param options - the host and ports (TCP, and WebSocket if wanted) to listen on, and an authenticate hook
 * @returns The running broker, with its URL and `close`.
 *
 * @example
 * ```ts
 * const broker = await startBroker({ port: 0 });
 * await server.listen(mqtt(`${broker.url}/notes-service`));
 * ```
 */
export async function startBroker(options: StartBrokerOptions = {}): Promise<Broker> {
  checkNumbers('startBroker', options, {
    maxBodyBytes: 'amount',
    maxConnections: 'count',
    maxConnectionsPerAddress: 'count',
    maxReceivingBytes: 'amount',
    maxReceivingBytesPerAddress: 'amount',
    maxUnreleasedBytes: 'amount',
    maxRetainedBytes: 'amount',
    maxRetainedMessages: 'count',
    maxRetainedPerConnection: 'amount',
    connectTimeoutMs: 'amount',
    maxKeepaliveSeconds: 'amount',
  });
  const host = options.host ?? '127.0.0.1';
  const auth = new BrokerAuth(options.authenticate, options.authThrottle, options.serverOnlyTopics ?? []);
  const subscriptions = new SubscriptionBound();
  const aedes = await Aedes.createBroker({
    preConnect: cleanSessionsOnly,
    authenticate: auth.authenticate,
    authorizePublish: auth.authorizePublish,
    authorizeForward: new RetainedDeliveries(options.maxRetainedPerConnection ?? 10_000).bound(
      auth.authorizeForward,
    ),
    authorizeSubscribe: subscriptions.authorizeSubscribe,
    // A longer wait than a timer takes (Infinity: none) would time every CONNECT out at once.
    connectTimeout: timerDelay(options.connectTimeoutMs ?? 10_000),
    keepaliveLimit: options.maxKeepaliveSeconds ?? 600,
  });
  const persistence = (aedes as unknown as { persistence: never }).persistence;
  boundRetained(persistence, {
    maxBytes: options.maxRetainedBytes ?? 64 * 1024 * 1024,
    maxMessages: options.maxRetainedMessages ?? 1_000,
  });
  const unreleasedPerClient = Math.max(4 * packetLimit(options), MIN_UNRELEASED_BYTES);
  boundUnreleased(
    persistence,
    unreleasedPerClient,
    options.maxUnreleasedBytes ?? Math.max(4 * unreleasedPerClient, MIN_UNRELEASED_BYTES_IN_ALL),
  );
  aedes.on('clientDisconnect', (client) => auth.forget(client));
  aedes.on('unsubscribe', subscriptions.unsubscribed);
  const room = receivingBudget(options);
  const accept = admitter(aedes, options, room);
  const tcp = createNetServer((socket) => {
    socket.setNoDelay(true);
    accept(socket, socket.remoteAddress);
  });
  const port = await listenOn(tcp, addressUrl('mqtt', host, options.port ?? 1883), 1883);
  let http: HttpServer | undefined;
  let wsUrl: string | undefined;
  if (options.wsPort !== undefined) {
    http = webSocketServer(accept, options, room);
    wsUrl = `ws://${hostForUrl(host)}:${await listenOn(http, addressUrl('ws', host, options.wsPort), 80)}`;
  }
  const unregister = registerEmbedded({
    has: (clientId) =>
      (aedes as unknown as { clients: Record<string, unknown> }).clients[clientId] !== undefined,
    attach: (authenticate, serverId) => auth.attach(authenticate, serverId),
    principalOf: (clientId) => auth.principalOf(clientId),
  });
  return {
    url: `mqtt://${hostForUrl(host)}:${port}`,
    wsUrl,
    async close() {
      unregister();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all([closeServer(tcp), http && closeServer(http)]);
    },
  };
}

/**
 * Makes every session clean: the broker keeps no subscriptions or queued messages for a
 * client after its connection ends (it keeps them in memory, without bound, for as long as it
 * runs: an offline subscriber to `#` would hold every message). Parley's clients and servers
 * ask for clean sessions anyway.
 */
function cleanSessionsOnly(
  _client: unknown,
  packet: { clean?: boolean | undefined },
  done: (error: Error | null, success: boolean) => void,
): void {
  packet.clean = true;
  done(null, true);
}

/** The least bytes of unreleased QoS 2 messages a client may hold (see {@link boundUnreleased}). */
const MIN_UNRELEASED_BYTES = 64 * 1024 * 1024;

/** The least bytes of large packets all connections may be receiving at once (see {@link receivingBudget}). */
const MIN_RECEIVING_BYTES = 256 * 1024 * 1024;

/** The least bytes of large packets one address may be receiving at once. */
const MIN_RECEIVING_BYTES_PER_ADDRESS = 64 * 1024 * 1024;

/** The least bytes of unreleased QoS 2 messages all clients together may hold. */
const MIN_UNRELEASED_BYTES_IN_ALL = 256 * 1024 * 1024;

/** The least a connection may have unsent before it is closed (see {@link boundWriteBacklog}). */
const MIN_WRITE_BACKLOG_BYTES = 64 * 1024 * 1024;

/**
 * Takes a connection: `request` is the upgrade request of a WebSocket one, whose messages are
 * counted as they arrive (see {@link watchWebSocketFrames}) rather than as MQTT packets.
 */
type Accept = (stream: Duplex, address: string | undefined, request?: unknown) => void;

/**
 * The room for large packets being received, shared by the TCP and WebSocket ports: bytes of
 * packets half-received, in total and per address (an IPv6 /64 counting as one). aedes holds a
 * packet whole until its last byte arrives, so without a bound every connection could hold a
 * packet of the full size half-sent, 128 of them from one address. A connection announcing a
 * packet past what is left is closed at once.
 */
function receivingBudget(options: StartBrokerOptions): AddressCounter {
  const maxPacketBytes = packetLimit(options);
  return new AddressCounter({
    maxTotal: options.maxReceivingBytes ?? Math.max(4 * maxPacketBytes, MIN_RECEIVING_BYTES),
    maxPerAddress:
      options.maxReceivingBytesPerAddress ?? Math.max(maxPacketBytes, MIN_RECEIVING_BYTES_PER_ADDRESS),
  });
}

/** Hands connections to aedes: counted by the connection gate, their packet sizes guarded. */
function admitter(aedes: Aedes, options: StartBrokerOptions, room: AddressCounter): Accept {
  const gate = new ConnectionGate({
    maxConnections: options.maxConnections ?? 1024,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? 128,
  });
  const maxPacketBytes = packetLimit(options);
  return (stream, address, request) => {
    const release = gate.admit(address);
    if (typeof release === 'string') {
      stream.destroy();
      return;
    }
    stream.once('close', release);
    guardPacketSize(stream, maxPacketBytes, () => {}, request === undefined ? { room, address } : undefined);
    boundWriteBacklog(stream, Math.max(2 * maxPacketBytes, MIN_WRITE_BACKLOG_BYTES));
    aedes.handle(stream, request as never);
  };
}

/** The HTTP server of the WebSocket port: upgrades from foreign origins or unknown hosts get 403. */
function webSocketServer(accept: Accept, options: StartBrokerOptions, room: AddressCounter): HttpServer {
  const http = createHttpServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n');
  });
  // Until it upgrades, a connection is the HTTP server's: bounded in number and time here.
  const handshakeMs = timerDelay(options.connectTimeoutMs ?? 10_000);
  http.on('connection', (socket: Socket) => socket.setTimeout(handshakeMs, () => socket.destroy()));
  http.maxConnections = options.maxConnections ?? 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: packetLimit(options) });
  const allowed = options.allowedOrigins ?? [];
  const hosts = options.allowedHosts && allowedHostSet(options.allowedHosts);
  http.on('upgrade', (request, socket, head) => {
    (socket as Socket).setTimeout(0);
    const host = request.headers.host;
    const hostKnown = hosts === undefined || (host !== undefined && knownHost(host, hosts));
    if (!hostKnown || !originAllowed(request, allowed)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const address = request.socket.remoteAddress;
      watchWebSocketFrames(socket as Socket, { room, address });
      accept(createWebSocketStream(ws), address, request);
    });
  });
  return http;
}

function packetLimit(options: StartBrokerOptions): number {
  return Math.min(
    (options.maxBodyBytes ?? MQTT_DEFAULTS.maxBodyBytes) + PACKET_OVERHEAD_BYTES,
    MQTT_MAX_PACKET_BYTES,
  );
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

/** The URL of a host and port the broker listens on, for {@link listenOn}. */
function addressUrl(scheme: string, host: string, port: number): URL {
  return new URL(`${scheme}://${hostForUrl(host)}:${port}`);
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
