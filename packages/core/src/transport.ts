import type { Authenticate } from './auth.js';
import type { BodyInit } from './body.js';
import type { ParleyError } from './error.js';
import type { EventQueueLimits, ParleyEvent } from './event.js';
import type { Handler } from './handler.js';
import type { HeadersInit } from './headers.js';
import type { Method } from './method.js';
import type { Request } from './request.js';
import type { Response } from './response.js';
import type { Status } from './status.js';
import type { Trace } from './trace.js';

/**
 * What a transport's protocol carries of the Parley contract. Clients refuse what it does not
 * carry before touching the network, and the conformance kit tests exactly what it declares.
 */
export interface TransportContract {
  /** The protocol's name, as it appears in `Peer.protocol` and in logs: `http`, `ftp`... */
  readonly protocol: string;
  /** The methods the protocol carries. */
  readonly methods: readonly Method[];
  /** The statuses that travel from a server's handler to a client unchanged. */
  readonly statuses: readonly Status[];
  /** `body`: replies carry a body; `acknowledgement`: only a status (and reply text). */
  readonly reply: 'body' | 'acknowledgement';
  /** Whether request header fields reach the handler. */
  readonly requestHeaders: boolean;
  /** Whether response header fields reach the client. */
  readonly responseHeaders: boolean;
  /** Whether bodies stream (are never held whole in memory by the transport). */
  readonly streaming: boolean;
  /**
   * Whether the transport carries events (publish and subscribe): true exactly when its
   * connectors and listeners have an `events` capability (the conformance kit checks it).
   */
  readonly events: boolean;
  /** The kinds of credentials the protocol carries to the `authenticate` hook. */
  readonly auth: readonly ('password' | 'token')[];
  /** How the protocol is secured: `tls` from the first byte, `starttls` by upgrade. */
  readonly tls: readonly ('tls' | 'starttls')[];
  /** Limits of the protocol itself (not the configurable ones). */
  readonly limits: ContractLimits;
}

/** Limits a protocol imposes by itself, in bytes; absent means none. */
export interface ContractLimits {
  /** The largest body the protocol can carry. */
  readonly maxBodyBytes?: number | undefined;
  /** The longest path the protocol can carry. */
  readonly maxPathBytes?: number | undefined;
}

/** The client side of a transport: one connection, or a pool of them, to one peer. */
export interface Connector {
  /** Sends a request and returns the peer's answer. Throws a ParleyError when none came. */
  send(request: Request): Promise<Response>;
  /** Publishing and subscribing to events: present exactly when the contract carries events. */
  readonly events?: ConnectorEvents | undefined;
  /** Closes every connection. */
  close(): Promise<void>;
  /**
   * Optional: the likely reason a call got no answer within `waitedMs`, when the transport knows
   * one (MQTT: no server has answered on the service prefix yet); the client makes it the
   * message of the `timeout` error of a call whose deadline passed. `undefined`: no idea.
   */
  explainTimeout?(waitedMs: number): string | undefined;
}

/** The events capability of a {@link Connector}. */
export interface ConnectorEvents {
  /** Publishes an event on a path. */
  publish(path: string, body: BodyInit, headers?: HeadersInit): Promise<void>;
  /**
   * Subscribes to events on paths matching a pattern, until `signal` aborts, holding for a slow
   * reader no more than `limits` (see `eventQueue` in `@parley/core/transport`).
   */
  subscribe(pattern: string, signal: AbortSignal, limits?: EventQueueLimits): AsyncIterable<ParleyEvent>;
}

/** The events capability of a {@link Listener}. */
export interface ListenerEvents {
  /** Publishes an event to the subscribed clients. */
  publish(path: string, body: BodyInit, headers?: HeadersInit): Promise<void>;
}

/** What a server gives a transport when it listens. */
export interface ListenContext {
  /** The server's handler, middleware included. Never throws: failures come back as responses. */
  readonly handle: Handler;
  /**
   * Serves a request as {@link ListenContext.handle} does, but hands the response to `sink`
   * instead of returning a promise: one promise reaction fewer per request, for transports whose
   * requests are many and small. Servers made with `createServer` offer it; `serveRequest` (in
   * `@parley/core/transport`) uses it, or `handle` when a context has none.
   */
  readonly serve?: ((request: Request, sink: ResponseSink) => void) | undefined;
  /** The authentication hook, when the server requires authentication. */
  readonly authenticate?: Authenticate | undefined;
  /**
   * Whether the service has a route for a method and path, for protocols that must answer
   * before the request exists (SMTP refuses an unknown mailbox at RCPT TO).
   */
  readonly allows: (method: Method, path: string) => RouteCheck;
  /** Receives the wire events of the listener's connections, when the server traces. */
  readonly trace?: Trace | undefined;
  /**
   * Receives the failures a transport cannot answer on the wire (a reply that could not be
   * sent, a connection that broke, a message that is no request), with what it was doing.
   * Transports report them here instead of swallowing or logging them.
   */
  readonly onError?: ((error: ParleyError, context: string) => void) | undefined;
}

/** Receives the response of a request served with {@link ListenContext.serve}. */
export interface ResponseSink {
  /**
   * Called once with the response; a handler's failure arrives as its response. It should not
   * throw: what it throws is reported to the server's `onError`.
   */
  respond(response: Response): void;
}

/** What a client gives a transport when it connects. */
export interface ConnectContext {
  /** Receives the wire events of the client's connections, when the client traces. */
  readonly trace?: Trace | undefined;
}

/** The outcome of {@link ListenContext.allows}. */
export type RouteCheck = 'ok' | 'not_found' | 'method_not_allowed';

/** The server side of a transport, once listening. */
export interface Listener {
  /** Where clients reach it, with the real port when port 0 was asked for. */
  readonly url: string;
  /** Stops taking new connections and requests; requests in flight go on. */
  stopAccepting(): Promise<void>;
  /**
   * Ends every connection and frees the port. Exchanges still writing go on until `deadline`
   * aborts; then everything left is cut off.
   */
  close(deadline: AbortSignal): Promise<void>;
  /** Publishing events to subscribed clients: present exactly when the contract carries events. */
  readonly events?: ListenerEvents | undefined;
}

/**
 * A protocol binding: one object that can both connect (client side) and listen (server side).
 * Each transport package exports a function that makes one from a URL and options, such as
 * `http('http://127.0.0.1:8080')`.
 */
export interface Transport {
  /** What the protocol carries. */
  readonly contract: TransportContract;
  /** The URL it was made from (credentials removed). */
  readonly url: string;
  /** Opens the client side. */
  connect(context?: ConnectContext): Connector;
  /** Starts the server side. */
  listen(context: ListenContext): Promise<Listener>;
}
