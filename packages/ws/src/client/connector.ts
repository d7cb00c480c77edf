import {
  Body,
  type BodyInit,
  HeaderMap,
  type HeadersInit,
  ParleyError,
  type ParleyEvent,
  type Request,
  type Response,
} from '@parley/core';
import {
  type Connector,
  type ConnectorEvents,
  type EventQueueLimits,
  eventQueue,
} from '@parley/core/transport';
import { ClientSession } from './session.js';
import type { OpenSocket } from './socket.js';

/**
 * The client side: one WebSocket connection that carries every request, opened on first use and
 * again after it closed. When the server retires it (GOAWAY), new requests go on a new one while
 * those in flight finish on the old.
 */
export class WsConnector implements Connector {
  readonly #open: OpenSocket;
  readonly #maxEventBytes: number;
  #session: Promise<ClientSession> | undefined;
  #live: ClientSession | undefined;
  readonly #sessions = new Set<ClientSession>();
  /** Aborts a connection still opening when the client closes. */
  readonly #closing = new AbortController();
  #closed = false;

  /** Events travel on the same connection as requests. */
  readonly events: ConnectorEvents = {
    publish: (path, body, headers) => this.#publish(path, body, headers),
    subscribe: (pattern, signal, limits) => this.#subscribe(pattern, signal, limits),
  };

  /** `maxEventBytes`: the largest event body published (it travels in one frame). */
  constructor(open: OpenSocket, maxEventBytes: number) {
    this.#open = open;
    this.#maxEventBytes = maxEventBytes;
  }

  send(request: Request): Promise<Response> {
    const live = this.#live;
    if (live?.usable) return live.send(request);
    return this.#ready().then((session) => session.send(request));
  }

  async #publish(path: string, body: BodyInit, headers?: HeadersInit): Promise<void> {
    const bytes = await Body.from(body).bytes({ limit: this.#maxEventBytes });
    const session = await this.#ready();
    session.publish(path, bytes, new HeaderMap(headers));
  }

  #subscribe(pattern: string, signal: AbortSignal, limits?: EventQueueLimits): AsyncIterable<ParleyEvent> {
    let unsubscribe: (() => void) | undefined;
    const queue = eventQueue({ ...limits, signal, onEnd: () => unsubscribe?.() });
    this.#ready().then(
      (session) => {
        if (!queue.ended) unsubscribe = session.subscribe(pattern, queue);
      },
      (error: unknown) => queue.end(ParleyError.from(error)),
    );
    return queue;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#live = undefined;
    const closed = clientClosed();
    this.#closing.abort(closed);
    const opening = await this.#session?.catch(() => undefined);
    opening?.close(closed);
    for (const session of this.#sessions) session.close(closed);
  }

  /** The connection new requests go on: the live one, or a new one. */
  #ready(): Promise<ClientSession> {
    if (this.#closed) return Promise.reject(clientClosed());
    if (this.#session === undefined || (this.#live !== undefined && !this.#live.usable)) {
      this.#live = undefined;
      this.#session = this.#start().catch((error: unknown) => {
        this.#session = undefined;
        throw error;
      });
    }
    return this.#session;
  }

  async #start(): Promise<ClientSession> {
    const socket = await this.#open(this.#closing.signal);
    const session = new ClientSession(socket, (retired) => this.#retire(retired));
    this.#sessions.add(session);
    if (this.#closed) session.close(clientClosed());
    else this.#live = session;
    return session;
  }

  #retire(session: ClientSession): void {
    if (this.#live === session) {
      this.#live = undefined;
      this.#session = undefined;
    }
    if (session.closed) this.#sessions.delete(session);
  }
}

/** The failure of a request made on, or a connection opened for, a client that was closed: not worth retrying. */
function clientClosed(): ParleyError {
  return new ParleyError('unavailable', 'The client was closed', { retryable: false });
}
