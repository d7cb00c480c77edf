import type { Client } from 'aedes';

/**
 * Counts the retained messages the broker hands to each connection (each new subscription gets
 * the stored ones matching it) and lets no more than `maxPerConnection` through: one client
 * subscribing again and again with filters that match every stored message would otherwise
 * keep the broker busy sending them, hundreds of thousands of messages for a few packets.
 * Past the bound, retained messages are not sent to that connection; live ones still are.
 */
export class RetainedDeliveries {
  readonly #maxPerConnection: number;
  readonly #sent = new WeakMap<Client, number>();

  /** @param maxPerConnection - the most retained messages handed to one connection */
  constructor(maxPerConnection: number) {
    this.#maxPerConnection = maxPerConnection;
  }

  /** Wraps an aedes `authorizeForward` handler: retained messages past the bound are dropped. */
  bound<P extends { topic: string; retain?: boolean | undefined }>(
    forward: (client: Client, packet: P) => P | null,
  ): (client: Client, packet: P) => P | null {
    return (client, packet) => {
      const allowed = forward(client, packet);
      if (allowed === null || packet.retain !== true) return allowed;
      const sent = this.#sent.get(client) ?? 0;
      if (sent >= this.#maxPerConnection) return null;
      this.#sent.set(client, sent + 1);
      return allowed;
    };
  }
}
