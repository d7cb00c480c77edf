import { addressKey } from './address-key.js';

/**
 * Bytes a listener holds for its connections at once, in total and per address (an IPv6 /64
 * counting as one), so that many connections from one address, each within its own limit,
 * cannot add up to more than the listener can hold. The MQTT broker counts large packets
 * half-received (aedes holds a packet whole until its last byte arrives: a connection
 * announcing a packet past what is left is closed at once); the WebSocket server counts request
 * body bytes its handlers have not read yet.
 */
export class ReceivingBudget {
  readonly #maxBytes: number;
  readonly #maxBytesPerAddress: number;
  readonly #byAddress = new Map<string, number>();
  #total = 0;

  /**
   * @param maxBytes - the most bytes of packets being received at once, all connections together
   * @param maxBytesPerAddress - the most of them from one address
   */
  constructor(maxBytes: number, maxBytesPerAddress: number) {
    this.#maxBytes = maxBytes;
    this.#maxBytesPerAddress = maxBytesPerAddress;
  }

  /** Takes room for a packet of `bytes` from `address`; false, taking nothing, when there is none. */
  take(address: string | undefined, bytes: number): boolean {
    const key = addressKey(address);
    const held = this.#byAddress.get(key) ?? 0;
    if (this.#total + bytes > this.#maxBytes || held + bytes > this.#maxBytesPerAddress) return false;
    this.#total += bytes;
    this.#byAddress.set(key, held + bytes);
    return true;
  }

  /** Gives back the room {@link take} took for `address`. */
  give(address: string | undefined, bytes: number): void {
    const key = addressKey(address);
    const held = (this.#byAddress.get(key) ?? 0) - bytes;
    this.#total -= bytes;
    if (held > 0) this.#byAddress.set(key, held);
    else this.#byAddress.delete(key);
  }
}
