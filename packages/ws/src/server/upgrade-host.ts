import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Takes over a connection that asked to upgrade: the request, its socket and the bytes read past its head. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * An HTTP listener whose port a WebSocket listener can share: Parley's HTTP listener is one
 * (`await server.listen(http(...))` returns it). It hands the connections that ask to upgrade
 * on a path to the WebSocket listener.
 */
export interface UpgradeHost {
  /** The HTTP listener's URL (`http://127.0.0.1:8080/`). */
  readonly url: string;
  /**
   * Hands upgrade requests for `path` to `handler` from now on; returns a function that stops
   * it. The handler owns the socket it gets.
   */
  attachUpgrade(path: string, handler: UpgradeHandler): () => void;
}
