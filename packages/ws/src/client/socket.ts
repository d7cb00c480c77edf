import type { FrameSink } from '../wire/flow.js';

/** A connected WebSocket, whichever implementation is behind it (`ws` in Node.js, the platform's in browsers). */
export interface ClientSocket extends FrameSink {
  /** Called with each binary message received; set by the session that owns the socket. */
  onFrame: (bytes: Uint8Array) => void;
  /** How many requests are in flight on the connection; set by the session that owns the socket. */
  inFlight: () => number;
  /** Called once when the connection closes, with the close code and reason. */
  onClose: (code: number, reason: string) => void;
  /** Closes the connection. */
  close(code?: number, reason?: string): void;
}

/**
 * Opens one connection to the transport's URL; rejects with a ParleyError when it cannot, or
 * with `signal`'s reason (the connection attempt dropped) once `signal` aborts.
 */
export type OpenSocket = (signal: AbortSignal) => Promise<ClientSocket>;

/** Above this many bytes waiting to be written, body senders wait for the connection to drain. */
export const HIGH_WATER_BYTES = 1024 * 1024;

/** Does nothing: the handlers of a socket before its session takes it. */
export function ignore(): void {}

/** No requests in flight: what a socket counts before its session takes it. */
export function noneInFlight(): number {
  return 0;
}
