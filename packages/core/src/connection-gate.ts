import { AddressCounter, type GateRefusal } from './address-counter.js';
import { addressKey } from './address-key.js';

/** Options of a {@link ConnectionGate}. */
export interface ConnectionGateOptions {
  /** Connections open at once, from everyone. */
  readonly maxConnections: number;
  /** Connections open at once from one address (an IPv6 /64 counts as one address). */
  readonly maxConnectionsPerAddress: number;
}

/**
 * Counts a listener's open connections, in total and per remote address, so that one address
 * opening many connections (slow or idle ones) cannot lock every other client out. Every
 * listener admits each new connection here and releases it when the connection closes. It is an
 * {@link AddressCounter} of connections.
 *
 * @example
 * ```ts
 * const gate = new ConnectionGate({ maxConnections: 1024, maxConnectionsPerAddress: 64 });
 * server.on('connection', (socket) => {
 *   const release = gate.admit(socket.remoteAddress);
 *   if (typeof release === 'string') return socket.destroy(); // 'total' or 'per_address'
 *   socket.once('close', release);
 * });
 * ```
 */
export class ConnectionGate {
  readonly #counter: AddressCounter;

  /**
   * Makes a gate with its limits.
   *
   * @param options - the total and per-address connection caps
   */
  constructor(options: ConnectionGateOptions) {
    this.#counter = new AddressCounter({
      maxTotal: options.maxConnections,
      maxPerAddress: options.maxConnectionsPerAddress,
    });
  }

  /** Connections open now. */
  get open(): number {
    return this.#counter.total;
  }

  /** Connections open now from one address. */
  openFrom(address: string | undefined): number {
    return this.#counter.heldBy(addressKey(address));
  }

  /**
   * Admits a connection from `address`: returns the function that releases it (call it once,
   * when the connection closes), or why it was refused.
   */
  admit(address: string | undefined): (() => void) | GateRefusal {
    const key = addressKey(address);
    const refusal = this.#counter.take(key, 1);
    if (refusal !== undefined) return refusal;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#counter.give(key, 1);
    };
  }
}
