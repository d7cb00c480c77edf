/** Why an {@link AddressCounter} refused to take more: it would pass its total or its per-address cap. */
export type GateRefusal = 'total' | 'per_address';

/** Caps of an {@link AddressCounter}. */
export interface AddressCounterLimits {
  /** The most units held at once, all addresses together. */
  readonly maxTotal: number;
  /** The most units held at once by one address key. */
  readonly maxPerAddress: number;
}

/**
 * Counts units held at once (connections, bytes) in total and per remote address, each under a
 * cap, so that one address cannot take what every other one needs. Addresses are counted by
 * their `addressKey` (an IPv6 /64 as one): callers work it out once and pass the key.
 *
 * @example
 * ```ts
 * const bytes = new AddressCounter({ maxTotal: 256 * MiB, maxPerAddress: 64 * MiB });
 * const key = addressKey(socket.remoteAddress);
 * if (bytes.take(key, length) !== undefined) return socket.destroy(); // no room left
 * // ... later, once those bytes are no longer held:
 * bytes.give(key, length);
 * ```
 */
export class AddressCounter {
  readonly #limits: AddressCounterLimits;
  readonly #byKey = new Map<string, number>();
  #total = 0;

  /**
   * Makes a counter with its caps.
   *
   * @param limits - the total and per-address caps
   */
  constructor(limits: AddressCounterLimits) {
    this.#limits = limits;
  }

  /** Units held now, all addresses together. */
  get total(): number {
    return this.#total;
  }

  /** Units held now under one address key. */
  heldBy(key: string): number {
    return this.#byKey.get(key) ?? 0;
  }

  /**
   * Takes `units` for the address `key`: undefined when taken, or which cap they would pass
   * (the total one checked first), taking nothing.
   */
  take(key: string, units: number): GateRefusal | undefined {
    const held = this.#byKey.get(key) ?? 0;
    if (this.#total + units > this.#limits.maxTotal) return 'total';
    if (held + units > this.#limits.maxPerAddress) return 'per_address';
    this.#total += units;
    this.#byKey.set(key, held + units);
    return undefined;
  }

  /** Gives back `units` that {@link take} took for the address `key`. */
  give(key: string, units: number): void {
    this.#total -= units;
    const left = (this.#byKey.get(key) ?? 0) - units;
    if (left > 0) this.#byKey.set(key, left);
    else this.#byKey.delete(key);
  }
}
