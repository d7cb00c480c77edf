/** A client as the persistence sees it. */
interface ClientRef {
  readonly id: string;
}

/** A PUBLISH as the persistence sees it. */
interface Stored {
  readonly messageId?: number | undefined;
  readonly topic?: string | undefined;
  readonly payload?: string | Uint8Array | undefined;
}

/** The part of an aedes persistence that keeps inbound QoS 2 messages until their PUBREL. */
interface IncomingStore {
  incomingStorePacket(client: ClientRef, packet: Stored): Promise<void>;
  incomingDelPacket(client: ClientRef, packet: Stored): Promise<void>;
  cleanIncoming?(client: ClientRef): Promise<void>;
}

/**
 * Bounds the bytes of inbound QoS 2 messages each client has not released (sent no PUBREL
 * for) to `maxBytes`, and those of all clients together to `maxBytesInAll`: aedes keeps each
 * one until then, up to 1 000 per client of any size, so a client that never sends PUBREL would
 * hold gigabytes, and many such clients many times the bound of one. A message past either
 * bound is not stored: its PUBLISH fails and the broker closes the connection.
 */
export function boundUnreleased(persistence: IncomingStore, maxBytes: number, maxBytesInAll: number): void {
  let total = 0;
  const held = new Map<string, { bytes: number; sizes: Map<number, number> }>();
  const store = persistence.incomingStorePacket.bind(persistence);
  const release = persistence.incomingDelPacket.bind(persistence);
  const clean = persistence.cleanIncoming?.bind(persistence);
  persistence.incomingStorePacket = async (client, packet) => {
    let entry = held.get(client.id);
    if (entry === undefined) {
      entry = { bytes: 0, sizes: new Map() };
      held.set(client.id, entry);
    }
    const id = packet.messageId ?? 0;
    const size = sizeOf(packet);
    const before = entry.sizes.get(id) ?? 0;
    if (entry.bytes - before + size > maxBytes) {
      throw new Error(`QoS 2 messages not yet released would take more than ${maxBytes} bytes`);
    }
    if (total - before + size > maxBytesInAll) {
      throw new Error(`QoS 2 messages not yet released would take more than ${maxBytesInAll} bytes in all`);
    }
    total += size - before;
    entry.bytes += size - before;
    entry.sizes.set(id, size);
    await store(client, packet);
  };
  persistence.incomingDelPacket = async (client, packet) => {
    const entry = held.get(client.id);
    const size = entry?.sizes.get(packet.messageId ?? 0);
    if (entry !== undefined && size !== undefined) {
      total -= size;
      entry.bytes -= size;
      entry.sizes.delete(packet.messageId ?? 0);
      if (entry.sizes.size === 0) held.delete(client.id);
    }
    await release(client, packet);
  };
  if (clean !== undefined) {
    persistence.cleanIncoming = async (client) => {
      total -= held.get(client.id)?.bytes ?? 0;
      held.delete(client.id);
      await clean(client);
    };
  }
}

function sizeOf(packet: Stored): number {
  const payload = packet.payload;
  const bytes =
    payload === undefined ? 0 : typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  return bytes + Buffer.byteLength(packet.topic ?? '');
}
