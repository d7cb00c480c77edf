import { getEventListeners } from 'node:events';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ParleyError } from '@parley/core';

/** After this many exchanges, a connection's signal is replaced even when nobody listens to it. */
const EXCHANGES_PER_SIGNAL = 64;

/**
 * The abort signal of the exchanges on one connection: it aborts when the connection closes,
 * so a handler learns when its client went away. One signal serves the exchanges of a
 * keep-alive connection in turn (creating one per request is a large share of the cost of a
 * small request); it is replaced as soon as no exchange is in flight and a handler left a
 * listener on it, so listeners never pile up.
 */
export class Connection {
  readonly #server: Server;
  readonly #closing: () => boolean;
  #controller: AbortController | undefined;
  #active = 0;
  #served = 0;

  constructor(socket: Socket, server: Server, closing: () => boolean) {
    this.#server = server;
    this.#closing = closing;
    socket.once('close', () =>
      this.#controller?.abort(new ParleyError('cancelled', 'The client closed the connection')),
    );
  }

  /** The signal for a new exchange on this connection. Call {@link Connection.finished} once it is answered. */
  begin(): AbortSignal {
    this.#active++;
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Marks an exchange answered (its response written, or cut off). */
  finished(): void {
    if (--this.#active > 0) return;
    const controller = this.#controller;
    if (controller !== undefined && !controller.signal.aborted) {
      const listened = getEventListeners(controller.signal, 'abort').length > 0;
      if (listened || ++this.#served >= EXCHANGES_PER_SIGNAL) {
        this.#controller = undefined;
        this.#served = 0;
      }
    }
    // While shutting down, a keep-alive connection that just went idle is closed.
    if (this.#closing()) setImmediate(() => this.#server.closeIdleConnections());
  }
}

const connections = new WeakMap<Socket, Connection>();

/** The {@link Connection} of a socket, made on its first request. */
export function connectionOf(socket: Socket, server: Server, closing: () => boolean): Connection {
  let connection = connections.get(socket);
  if (connection === undefined) {
    connection = new Connection(socket, server, closing);
    connections.set(socket, connection);
  }
  return connection;
}
