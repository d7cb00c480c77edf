/** The part of an aedes persistence that stores retained messages. */
interface RetainedStore {
  storeRetained(packet: { topic: string; payload: string | Uint8Array }): Promise<void>;
}

/**
 * What the broker holds for a retained message besides its payload and topic (the stored packet,
 * its entry in the topic tree): about 600 bytes, measured; counted as 1 KiB so that messages of a
 * byte each cannot make the bound hold a hundred times its size.
 */
export const RETAINED_ENTRY_BYTES = 1024;

/** The bounds of {@link boundRetained}. */
export interface RetainedLimits {
  /** The most bytes all retained messages may take (payload, topic and {@link RETAINED_ENTRY_BYTES} each). */
  readonly maxBytes: number;
  /** The most retained messages (topics) kept at once. */
  readonly maxMessages: number;
}

/**
 * Bounds the retained messages `persistence` keeps, all topics together, in bytes (payload,
 * topic and {@link RETAINED_ENTRY_BYTES} each) and in number: any client may publish with the
 * retain flag, each topic's message would otherwise stay in memory for as long as the broker
 * runs, and every new subscription is matched against all of them. A retained message that
 * would go over a bound is not stored (its PUBLISH fails, so the broker closes the connection);
 * an empty one clears its topic and frees its room.
 */
export function boundRetained(persistence: RetainedStore, limits: RetainedLimits): void {
  const { maxBytes, maxMessages } = limits;
  const sizes = new Map<string, number>();
  let total = 0;
  const store = persistence.storeRetained.bind(persistence);
  persistence.storeRetained = async (packet) => {
    const length =
      typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : packet.payload.length;
    const size = length === 0 ? 0 : length + Buffer.byteLength(packet.topic) + RETAINED_ENTRY_BYTES;
    const before = sizes.get(packet.topic) ?? 0;
    if (total - before + size > maxBytes) {
      throw new Error(`Retained messages would take more than ${maxBytes} bytes`);
    }
    if (before === 0 && size > 0 && sizes.size >= maxMessages) {
      throw new Error(`More than ${maxMessages} retained messages`);
    }
    // Counted before storing, so that concurrent stores see each other.
    total += size - before;
    setSize(sizes, packet.topic, size);
    try {
      await store(packet);
    } catch (error) {
      total -= size - before;
      setSize(sizes, packet.topic, before);
      throw error;
    }
  };
}

function setSize(sizes: Map<string, number>, topic: string, size: number): void {
  if (size === 0) sizes.delete(topic);
  else sizes.set(topic, size);
}
