import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ConnectionGate } from '@parley/core/transport';

/** The limits {@link admitConnections} applies. */
export interface AdmissionLimits {
  /** Connections open at once, from everyone. */
  readonly maxConnections: number;
  /** Connections open at once from one address. */
  readonly maxConnectionsPerAddress: number;
  /** How long a new connection may stay silent before its first request head is complete, in ms. */
  readonly firstRequestTimeoutMs: number;
}

/**
 * Admits each new connection of `server` through a {@link ConnectionGate} (a connection over
 * the total or its address's share is closed at once, unanswered) and gives it
 * `firstRequestTimeoutMs` of idleness to send its first request head: `node:http`'s
 * `headersTimeout` only starts with a request's first byte, so a connection that never sends
 * anything would otherwise stay open for good. {@link requestArrived} lifts that deadline.
 */
export function admitConnections(server: Server, tls: boolean, limits: AdmissionLimits): void {
  const gate = new ConnectionGate(limits);
  // For TLS, `connection` is the TCP socket and `secureConnection` the one requests arrive on.
  server.on('connection', (socket: Socket) => {
    const release = gate.admit(socket.remoteAddress);
    if (typeof release === 'string') {
      socket.destroy();
      return;
    }
    socket.once('close', release);
    if (!tls) deadline(socket, limits.firstRequestTimeoutMs);
  });
  if (tls) server.on('secureConnection', (socket: Socket) => deadline(socket, limits.firstRequestTimeoutMs));
}

/** Closes `socket` (through `node:http`'s own timeout handling) after `ms` without traffic. */
function deadline(socket: Socket, ms: number): void {
  if (ms > 0) socket.setTimeout(ms);
}

/**
 * Lifts the first-request deadline of a request's connection, if still set: `node:http` itself
 * clears the keep-alive timeout before later requests, so a timeout still set on the socket when
 * a request arrives is the first-request one.
 */
export function requestArrived(socket: Socket): void {
  if (socket.timeout) socket.setTimeout(0);
}
