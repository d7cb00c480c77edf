import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Body, type BodyInit, HeaderMap, type HeadersInit, ParleyError, type Request } from '@parley/core';
import {
  AddressCounter,
  allowedHostSet,
  ConnectionGate,
  DrainTracker,
  type ListenContext,
  type ResponseSink,
  serveRequest,
} from '@parley/core/transport';
import { WebSocketServer } from 'ws';
import type { WsSettings } from '../options.js';
import { CLOSE } from '../status-map.js';
import { authenticateUpgrade, gateRefusal, hostAllowed, originAllowed, refuse } from './admit.js';
import { type ConnectionHub, ServerConnection } from './connection.js';

/**
 * The server side of one WebSocket listener: admits upgrades (origin, connection limits,
 * authentication), owns the connections, publishes events and shuts down gracefully.
 */
export class Hub implements ConnectionHub {
  readonly #settings: WsSettings;
  /** `allowedHosts`, lower-case, when given. */
  readonly #allowedHosts: ReadonlySet<string> | undefined;
  readonly #context: ListenContext;
  readonly #server: WebSocketServer;
  readonly #connections = new Set<ServerConnection>();
  /** Connections open or being admitted, in total and per remote address. */
  readonly #gate: ConnectionGate;
  readonly #inFlight = new DrainTracker();
  /** Request body bytes received and not yet read by handlers, in total and per address. */
  readonly unreadBodies: AddressCounter;
  #accepting = true;
  readonly #sweeper: ReturnType<typeof setInterval>;
  readonly maxInFlight: number;
  readonly maxBodyBytes: number;
  readonly maxSubscriptions: number;
  readonly relayClientEvents: boolean;
  /** How long a closing connection waits for the client's close frame, in ms. */
  readonly closeTimeoutMs: number;

  constructor(settings: WsSettings, context: ListenContext) {
    this.#settings = settings;
    this.#allowedHosts = settings.allowedHosts && allowedHostSet(settings.allowedHosts);
    this.#context = context;
    this.maxInFlight = settings.maxInFlight;
    this.maxBodyBytes = settings.maxBodyBytes;
    this.maxSubscriptions = settings.maxSubscriptions;
    this.relayClientEvents = settings.relayClientEvents;
    this.closeTimeoutMs = settings.closeTimeoutMs;
    this.#gate = new ConnectionGate(settings);
    this.unreadBodies = new AddressCounter({
      maxTotal: settings.maxUnreadBodyBytes,
      maxPerAddress: settings.maxUnreadBodyBytesPerAddress,
    });
    this.#server = new WebSocketServer({
      noServer: true,
      maxPayload: settings.maxPayload,
      perMessageDeflate: false,
      clientTracking: false,
    });
    const every = Math.max(10, Math.min(1000, Math.floor(settings.idleTimeoutMs / 4)));
    this.#sweeper = setInterval(() => this.#closeIdle(), every);
    this.#sweeper.unref();
  }

  /** Whether new requests and connections are taken. */
  get accepting(): boolean {
    return this.#accepting;
  }

  /** The connections open now. */
  get connections(): number {
    return this.#connections.size;
  }

  /** Takes over a connection that asked to upgrade on this listener's path. */
  readonly upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    if (!this.#accepting) {
      refuse(socket, { code: 503, message: 'The server is shutting down' });
      return;
    }
    if (!hostAllowed(request, this.#allowedHosts)) {
      refuse(socket, { code: 403, message: `The host ${request.headers.host} is not served here` });
      return;
    }
    if (!originAllowed(request, this.#settings.origins)) {
      refuse(socket, { code: 403, message: `The origin ${request.headers.origin} is not allowed` });
      return;
    }
    const address = request.socket.remoteAddress ?? '';
    const release = this.#gate.admit(address);
    if (typeof release === 'string') {
      refuse(socket, gateRefusal(this.#settings, release));
      return;
    }
    socket.once('close', release);
    void this.#admit(request, socket, head, address);
  };

  async #admit(request: IncomingMessage, socket: Duplex, head: Buffer, address: string): Promise<void> {
    const timeoutMs = this.#settings.handshakeTimeoutMs;
    const timer = setTimeout(
      () => refuse(socket, { code: 408, message: 'The upgrade took too long' }),
      timeoutMs,
    );
    let admitted: Awaited<ReturnType<typeof authenticateUpgrade>>;
    try {
      admitted = await authenticateUpgrade(request, this.#context);
    } finally {
      clearTimeout(timer);
    }
    if (socket.destroyed || !socket.writable) return;
    if ('code' in admitted) return refuse(socket, admitted);
    if (!this.#accepting) return refuse(socket, { code: 503, message: 'The server is shutting down' });
    this.#server.handleUpgrade(request, socket, head, (websocket) => {
      const connection = new ServerConnection(websocket, socket as Socket, this, admitted.principal, address);
      this.#connections.add(connection);
    });
  }

  /** Counts a request in flight (see {@link ConnectionHub.entered}). */
  entered(): void {
    this.#inFlight.countIn();
  }

  /** Counts a request out of flight (see {@link ConnectionHub.left}). */
  left(): void {
    this.#inFlight.countOut();
  }

  /** Serves a request through the listen context (see {@link ConnectionHub.serve}). */
  serve(request: Request, sink: ResponseSink): void {
    serveRequest(this.#context, request, sink);
  }

  /** Hands a failure no frame can carry as it is (a response body that failed) to the error hook. */
  report(error: unknown, where: string): void {
    this.#context.onError?.(ParleyError.from(error), where);
  }

  /** Called by a connection once it has closed. */
  closed(connection: ServerConnection): void {
    this.#connections.delete(connection);
  }

  deliver(path: string, headers: HeaderMap, body: Uint8Array): void {
    for (const connection of this.#connections) connection.publish(path, headers, body);
  }

  /** Publishes an event to every subscription matching its path. */
  async publish(path: string, body: BodyInit, headers?: HeadersInit): Promise<void> {
    const bytes = await Body.from(body).bytes({ limit: this.#settings.maxPayload - 8192 });
    this.deliver(path, new HeaderMap(headers), bytes);
  }

  /** Stops taking connections and requests: each connection gets GOAWAY; requests in flight go on. */
  stopAccepting(): void {
    if (!this.#accepting) return;
    this.#accepting = false;
    for (const connection of this.#connections) {
      connection.goAway();
      if (connection.idle) connection.close(CLOSE.goingAway, 'the server is shutting down');
    }
  }

  /** Lets requests in flight finish until `deadline`, cuts off the rest, and closes every connection. */
  async close(deadline: AbortSignal): Promise<void> {
    this.stopAccepting();
    clearInterval(this.#sweeper);
    await this.#inFlight.drained(deadline);
    const reason = new ParleyError('unavailable', 'The server shut down before the request finished');
    for (const connection of [...this.#connections]) {
      connection.cutOff(reason);
      connection.close(CLOSE.goingAway, 'the server is shutting down');
    }
    this.#server.close();
  }

  #closeIdle(): void {
    const before = Date.now() - this.#settings.idleTimeoutMs;
    for (const connection of this.#connections) {
      if (connection.idle && connection.lastActive < before) connection.close(CLOSE.normal, 'idle');
      else if (!connection.idle) connection.expireStalledBodies(before, this.#settings.idleTimeoutMs);
    }
  }
}
