import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ParleyError } from '@parley/core';

/** Takes over a connection that asked to upgrade: the request, its socket and the bytes read past its head. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The upgrade handlers attached to one HTTP listener, by path (a WebSocket listener sharing
 * the port, for instance). The server's `upgrade` event is listened to only once one is
 * attached, so until then requests with an `Upgrade` field are plain HTTP requests. Afterwards,
 * an upgrade on a path without a handler is answered 404, and one arriving while the listener
 * shuts down 503. Sockets handed over are cut off with the listener's other connections.
 */
export class Upgrades {
  readonly #server: Server;
  readonly #handlers = new Map<string, UpgradeHandler>();
  readonly #sockets = new Set<Duplex>();
  #listening = false;
  /** Set once the listener stops accepting. */
  closing = false;

  constructor(server: Server) {
    this.#server = server;
  }

  /** Hands upgrades on `path` to `handler` until the returned function is called. */
  attach(path: string, handler: UpgradeHandler): () => void {
    if (this.#handlers.has(path))
      throw new ParleyError('conflict', `An upgrade handler is attached on ${path} already`);
    this.#handlers.set(path, handler);
    if (!this.#listening) {
      this.#listening = true;
      this.#server.on('upgrade', this.#upgrade);
    }
    return () => {
      if (this.#handlers.get(path) === handler) this.#handlers.delete(path);
    };
  }

  /** Destroys every socket handed over that is still open. */
  cutOff(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  readonly #upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const target = request.url ?? '/';
    const query = target.indexOf('?');
    const handler = this.#handlers.get(query === -1 ? target : target.slice(0, query));
    if (handler === undefined || this.closing) {
      const [code, text] =
        handler === undefined
          ? ['404 Not Found', 'Nothing to upgrade to on this path']
          : ['503 Service Unavailable', 'The server is shutting down'];
      socket.end(
        `HTTP/1.1 ${code}\r\nconnection: close\r\ncontent-length: ${text.length + 1}\r\n\r\n${text}\n`,
      );
      return;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    handler(request, socket, head);
  };
}
