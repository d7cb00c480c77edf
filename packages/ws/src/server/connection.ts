import type { Socket } from 'node:net';
import {
  compilePattern,
  type HeaderMap,
  ParleyError,
  type PathPattern,
  type Principal,
  type Request,
} from '@parley/core';
import { type AddressCounter, addressKey, type ResponseSink } from '@parley/core/transport';
import type WebSocket from 'ws';
import { batchWrites } from '../batch-writes.js';
import { HIGH_WATER_BYTES } from '../client/socket.js';
import { CLOSE } from '../status-map.js';
import type { FrameSink } from '../wire/flow.js';
import {
  decodeCredit,
  decodeFrame,
  decodeHead,
  decodeText,
  encodeHeadFrame,
  encodeText,
  FRAME,
  type Frame,
  FrameError,
} from '../wire/frame.js';
import {
  contentLength,
  headerMapOf,
  type RequestHead,
  readEventHead,
  readRequestHead,
} from '../wire/heads.js';
import { StreamTable } from '../wire/stream-table.js';
import { Exchange, type ExchangeHost, refuseStream } from './exchange.js';

/** What a connection needs of its listener. */
export interface ConnectionHub {
  /** Serves a request with the server's handler and hands its response to `sink`. */
  serve(request: Request, sink: ResponseSink): void;
  /** Whether new requests are taken. */
  readonly accepting: boolean;
  readonly maxInFlight: number;
  readonly maxBodyBytes: number;
  readonly maxSubscriptions: number;
  /** Request body bytes not yet read by handlers that the listener's connections may hold, in total and per address. */
  readonly unreadBodies: AddressCounter;
  /** Whether events clients publish reach the other subscribers (else the publisher is closed, 1008). */
  readonly relayClientEvents: boolean;
  /** How long a closing connection waits for the client's close frame before cutting it, in ms. */
  readonly closeTimeoutMs: number;
  /** Counts a request in flight on the listener; {@link ConnectionHub.left} counts it out. */
  entered(): void;
  /** Counts out a request counted in with {@link ConnectionHub.entered} (once per request). */
  left(): void;
  /** Hands an event a client published to every matching subscription. */
  deliver(path: string, headers: HeaderMap, body: Uint8Array): void;
  /** Hands a failure no frame can carry as it is to the server's error hook. */
  report(error: unknown, where: string): void;
  /** Called once the connection has closed. */
  closed(connection: ServerConnection): void;
}

/**
 * Above this many bytes of unsent frames, a connection is closed: its client does not read
 * them. Response bodies wait for room below 1 MiB, so only events, refusals and other frames the
 * client provokes without reading the answers get here.
 */
const MAX_BACKLOG = 8 * 1024 * 1024;

/**
 * Request body bytes one connection may hold received but not yet taken by its handlers, across
 * all its requests (each may be sent a window of 1 MiB before its handler reads anything): past
 * it, the request holding the most is refused. 16 MiB.
 */
const MAX_UNREAD_BODY_BYTES = 16 * 1024 * 1024;

/** One client connection on the server: its requests in flight and its subscriptions. */
export class ServerConnection implements FrameSink {
  readonly #websocket: WebSocket;
  readonly #tcp: Socket;
  readonly #hub: ConnectionHub;
  readonly #host: ExchangeHost;
  readonly #exchanges = new StreamTable<Exchange>();
  readonly #subscriptions = new Map<number, PathPattern>();
  readonly #corkWrites: (whole?: boolean) => void;
  #closed = false;
  #draining = false;
  /** Request body bytes received on the connection that no handler has taken yet. */
  #unreadBodyBytes = 0;
  /** The part of {@link ServerConnection.#unreadBodyBytes} the listener's budget had no room for. */
  #unreadOverBudget = 0;
  /** The peer's address as the listener's budget counts it (an IPv6 /64 as one). */
  readonly #addressKey: string;
  /** When a frame last arrived (ms), for the idle timeout. */
  lastActive = Date.now();

  constructor(
    websocket: WebSocket,
    tcp: Socket,
    hub: ConnectionHub,
    principal: Principal | undefined,
    address: string | undefined,
  ) {
    this.#websocket = websocket;
    this.#tcp = tcp;
    this.#hub = hub;
    this.#addressKey = addressKey(address);
    this.#corkWrites = batchWrites(tcp, () => this.#exchanges.size > 1);
    const peer = Object.freeze({ protocol: 'ws', address, principal });
    this.#host = {
      connection: this,
      peer,
      maxBodyBytes: hub.maxBodyBytes,
      report: (error, where) => hub.report(error, where),
    };
    websocket.on('message', (data, isBinary) => {
      this.lastActive = Date.now();
      if (isBinary) this.#receive(data as Buffer);
      else this.close(1003, 'Parley frames are binary messages');
    });
    websocket.on('error', () => undefined);
    websocket.once('close', () => this.#lost());
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether nothing is in flight and nobody is subscribed. */
  get idle(): boolean {
    return this.#exchanges.size === 0 && this.#subscriptions.size === 0;
  }

  /** The requests in flight. */
  get inFlight(): number {
    return this.#exchanges.size;
  }

  /**
   * Counts request body bytes received (positive) or taken by a handler or dropped (negative),
   * on the connection and in the listener's budget (`maxUnreadBodyBytes`, also per address).
   * Past {@link MAX_UNREAD_BODY_BYTES} on the connection, or past the budget, the request of this
   * connection holding the most unread bytes is refused (`too_many_requests`) and its bytes
   * dropped, so clients starting uploads to handlers that do not read them (waiting on a lock,
   * say) cannot make the server hold a window for each, on one connection or on many.
   */
  countUnread(bytes: number): void {
    this.#unreadBodyBytes += bytes;
    const budget = this.#hub.unreadBodies;
    if (bytes <= 0) {
      const unbudgeted = Math.min(-bytes, this.#unreadOverBudget);
      this.#unreadOverBudget -= unbudgeted;
      if (-bytes > unbudgeted) budget.give(this.#addressKey, -bytes - unbudgeted);
      return;
    }
    if (budget.take(this.#addressKey, bytes) !== undefined) {
      this.#unreadOverBudget += bytes;
      this.#refuseLargestUnread('on this server');
    } else if (this.#unreadBodyBytes > MAX_UNREAD_BODY_BYTES) {
      this.#refuseLargestUnread(`on this connection (${MAX_UNREAD_BODY_BYTES} bytes)`);
    }
  }

  /** Refuses the request of this connection holding the most unread body bytes (see {@link countUnread}). */
  #refuseLargestUnread(where: string): void {
    let largest: Exchange | undefined;
    for (const [, exchange] of this.#exchanges.entries()) {
      if (largest === undefined || exchange.unread > largest.unread) largest = exchange;
    }
    largest?.refuseUnread(`Too many bytes of request bodies wait unread ${where}`);
  }

  /** Serves a request with the server's handler; its response goes to `sink`. */
  serve(request: Request, sink: ResponseSink): void {
    this.#hub.serve(request, sink);
  }

  send(frame: Uint8Array, whole = false): void {
    if (this.#closed) return;
    if (this.#websocket.bufferedAmount > MAX_BACKLOG) {
      this.close(CLOSE.policy, 'frames were not read');
      return;
    }
    this.#corkWrites(whole);
    this.#websocket.send(frame);
  }

  writable(): Promise<void> | undefined {
    if (this.#websocket.bufferedAmount < HIGH_WATER_BYTES || this.#closed) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.#tcp.off('drain', done);
        this.#tcp.off('close', done);
        resolve();
      };
      this.#tcp.once('drain', done);
      this.#tcp.once('close', done);
    });
  }

  /** Sends an event to each subscription of this connection matching `path`. */
  publish(path: string, headers: HeaderMap, body: Uint8Array): void {
    if (this.#closed) return;
    for (const [id, pattern] of this.#subscriptions) {
      if (pattern.match(path) === undefined) continue;
      if (this.#websocket.bufferedAmount > MAX_BACKLOG) {
        this.close(CLOSE.policy, 'events were not read fast enough');
        return;
      }
      this.send(
        encodeHeadFrame(
          FRAME.EVENT,
          id,
          { path, headers: headers.size > 0 ? headers.toObject() : undefined },
          body,
        ),
      );
    }
  }

  /** Fails the reads of request bodies stalled since `before` (ms); see `Exchange.expireStalledBody`. */
  expireStalledBodies(before: number, idleMs: number): void {
    for (const [, exchange] of this.#exchanges.entries()) exchange.expireStalledBody(before, idleMs);
  }

  /** Takes no new requests (GOAWAY); those in flight go on. */
  goAway(): void {
    if (this.#draining) return;
    this.#draining = true;
    this.send(encodeText(FRAME.GOAWAY, 0, 'the server is shutting down'));
  }

  /** Aborts every request in flight with `reason`. */
  cutOff(reason: ParleyError): void {
    for (const [, exchange] of this.#exchanges.entries()) exchange.cutOff(reason);
  }

  /** Closes the connection (a close frame, then the socket). */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#websocket.close(code, reason);
    this.#lost();
    // A peer that does not answer the close frame is cut off.
    setTimeout(() => this.#websocket.terminate(), this.#hub.closeTimeoutMs).unref();
  }

  /** A flow-control or limit violation: the connection is closed with 1008. */
  violated(reason: string): void {
    this.close(CLOSE.policy, reason);
  }

  /** Called by an exchange once it is over. */
  finished(id: number, exchange: Exchange): void {
    // Only an exchange in the map was counted in: it is counted out once, as it leaves the map.
    if (this.#exchanges.get(id) !== exchange) return;
    this.#exchanges.delete(id);
    this.#hub.left();
  }

  #receive(bytes: Uint8Array): void {
    try {
      const frame = decodeFrame(bytes);
      switch (frame.type) {
        case FRAME.HEADERS:
          this.#start(frame);
          return;
        case FRAME.DATA:
          this.#exchanges.get(frame.id)?.data(frame.payload, frame.end);
          return;
        case FRAME.CREDIT:
          this.#exchanges.get(frame.id)?.grant(decodeCredit(frame.payload));
          return;
        case FRAME.CANCEL:
          this.#exchanges.get(frame.id)?.cancel();
          return;
        case FRAME.SUBSCRIBE:
          this.#subscribe(frame.id, decodeText(frame.payload));
          return;
        case FRAME.UNSUBSCRIBE:
          this.#subscriptions.delete(frame.id);
          return;
        case FRAME.EVENT:
          this.#published(frame);
          return;
      }
    } catch (error) {
      const reason = error instanceof FrameError ? error.message : 'a frame could not be read';
      this.close(CLOSE.protocolError, reason.slice(0, 120));
    }
  }

  /** A request `HEADERS` frame: a new exchange, or a refusal on its stream. */
  #start(frame: Frame): void {
    const { id } = frame;
    if (this.#exchanges.has(id)) throw new FrameError(`stream ${id} is already in use`);
    const bodyFollows = !frame.end;
    const { head: json, body } = decodeHead(frame);
    let head: RequestHead;
    try {
      head = readRequestHead(json);
    } catch (error) {
      refuseStream(this.#host, id, 'bad_request', (error as Error).message, bodyFollows);
      return;
    }
    const hub = this.#hub;
    if (!hub.accepting || this.#draining) {
      refuseStream(this.#host, id, 'unavailable', 'The server is shutting down', bodyFollows);
      return;
    }
    if (this.#exchanges.size >= hub.maxInFlight) {
      refuseStream(
        this.#host,
        id,
        'too_many_requests',
        `More than ${hub.maxInFlight} requests in flight`,
        bodyFollows,
      );
      return;
    }
    let headers: HeaderMap;
    try {
      headers = headerMapOf(head.headers);
    } catch (error) {
      refuseStream(this.#host, id, 'bad_request', (error as Error).message, bodyFollows);
      return;
    }
    const declared = contentLength(headers);
    if ((declared ?? body.byteLength) > hub.maxBodyBytes) {
      const message = `The request body is larger than the limit of ${hub.maxBodyBytes} bytes`;
      refuseStream(this.#host, id, 'too_large', message, bodyFollows);
      return;
    }
    const exchange = new Exchange(this.#host, id, head, headers, body, frame.end);
    if (exchange.finished) return;
    this.#exchanges.set(id, exchange);
    hub.entered();
  }

  #subscribe(id: number, pattern: string): void {
    if (this.#subscriptions.size >= this.#hub.maxSubscriptions) {
      this.send(encodeText(FRAME.CANCEL, id, `More than ${this.#hub.maxSubscriptions} subscriptions`));
      return;
    }
    try {
      this.#subscriptions.set(id, compilePattern(pattern));
    } catch (error) {
      this.send(encodeText(FRAME.CANCEL, id, ParleyError.from(error).message));
    }
  }

  #published(frame: Frame): void {
    if (!this.#hub.relayClientEvents) {
      this.close(CLOSE.policy, 'This server does not take events from clients');
      return;
    }
    const { head, body } = decodeHead(frame);
    const { path, headers } = readEventHead(head);
    this.#hub.deliver(path, headers, body.slice());
  }

  #lost(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.cutOff(new ParleyError('cancelled', 'The client closed the connection'));
    this.#subscriptions.clear();
    this.#hub.closed(this);
  }
}
