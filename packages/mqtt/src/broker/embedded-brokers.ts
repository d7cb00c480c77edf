import type { Authenticate, Principal } from '@parley/core';

/** What a server on an embedded broker of this process needs from it. */
export interface EmbeddedBroker {
  /** Whether the client `clientId` is connected to this broker. */
  has(clientId: string): boolean;
  /**
   * Checks CONNECT credentials with a server's `authenticate` hook too (when it has one), and
   * lets the server's client `serverId` publish on logged-in clients' reply topics and on
   * server-only topics, until the returned function is called.
   */
  attach(authenticate: Authenticate | undefined, serverId: string): () => void;
  /** The principal a connected client proved at CONNECT, if any. */
  principalOf(clientId: string): Principal | undefined;
}

const running = new Set<EmbeddedBroker>();

/** Registers a running embedded broker; the returned function unregisters it. */
export function registerEmbedded(broker: EmbeddedBroker): () => void {
  running.add(broker);
  return () => running.delete(broker);
}

/** The embedded broker of this process the client `clientId` is connected to, if any. */
export function findEmbedded(clientId: string): EmbeddedBroker | undefined {
  for (const broker of running) if (broker.has(clientId)) return broker;
  return undefined;
}
