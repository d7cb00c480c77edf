import { addressKey } from './address-key.js';

/** Options of a {@link ConnectionGate}. */
export interface ConnectionGateOptions {
  /** Connections open at once, from everyone. */
  readonly maxConnections: number;
  /** Connections open at once from one address (an IPv6 /64 counts as one address). */
  readonly maxConnectionsPerAddress: number;
}

/** Why {@link ConnectionGate.admit} refused a connection. */
export type GateRefusal = 'total' | 'per_address';

/**
 * Counts a listener's open connections, in total and per remote address, so that one address
 * opening many connections (slow or idle ones) cannot lock every other client out. Every
 * listener admits each new connection here and releases it when the connection closes.
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
  readonly #options: ConnectionGateOptions;
  readonly #perAddress = new Map<string, number>();
  #open = 0;

  /**
   * Makes a gate with its limits.
   *
   * @param options - the total and per-address connection caps
   */
  constructor(options: ConnectionGateOptions) {
    this.#options = options;
  }

  /** Connections open now. */
  get open(): number {
    return this.#open;
  }

  /** Connections open now from one address. */
  openFrom(address: string | undefined): number {
    return this.#perAddress.get(addressKey(address)) ?? 0;
  }

  /**
   * Admits a connection from `address`: returns the function that releases it (call it once,
   * when the connection closes), or why it was refused.
   */
  admit(address: string | undefined): (() => void) | GateRefusal {
    const key = addressKey(address);
    const fromAddress = this.#perAddress.get(key) ?? 0;
    if (this.#open >= this.#options.maxConnections) return 'total';
    if (fromAddress >= this.#options.maxConnectionsPerAddress) return 'per_address';
    this.#open++;
    this.#perAddress.set(key, fromAddress + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
      const left = (this.#perAddress.get(key) ?? 1) - 1;
      if (left <= 0) this.#perAddress.delete(key);
      else this.#perAddress.set(key, left);
    };
  }
}
