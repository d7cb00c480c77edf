import { createServer, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { ParleyError } from '@parley/core';
import {
  ConnectionGate,
  type ListenContext,
  type Listener,
  listenOn,
  publicUrl,
} from '@parley/core/transport';
import type { DataRegistry } from './data-channel.js';
import { type FtpServerOptions, resolveServerOptions } from './options.js';
import { ReadBudget } from './read-budget.js';
import { Session, type SessionShared } from './session.js';

/** What an FTP listener holds right now, for monitoring and tests. */
export interface FtpListenerStats {
  /** Open control connections. */
  readonly connections: number;
  /** Passive data listeners waiting for a connection. */
  readonly passiveListeners: number;
  /** Bytes of the file read buffers downloads hold now (at most about `maxReadBufferBytes`, then 64 KiB each). */
  readonly readBufferBytes: number;
  /**
   * Bytes of replies written to control connections and not yet taken by the system: a client
   * that does not read its replies holds at most a few KiB of them, its next commands waiting.
   */
  readonly replyBytes: number;
}

/** An FTP {@link Listener} that also reports what it holds. */
export interface FtpListener extends Listener {
  /** Counts of open connections and passive listeners. */
  stats(): FtpListenerStats;
}

/**
 * Starts an FTP server on the URL's host and port (default 21), serving `context.handle`.
 * An `ftps://` URL requires explicit TLS (`AUTH TLS`, `PROT P`) from every client.
 */
export async function listenFtp(
  url: URL,
  options: FtpServerOptions,
  context: ListenContext,
): Promise<FtpListener> {
  const secureUrl = url.protocol === 'ftps:';
  if (secureUrl && options.tls === undefined) {
    throw new ParleyError(
      'bad_request',
      'An ftps:// server needs a certificate and key: ftp(url, { server: { tls: { key, cert } } })',
    );
  }
  const resolved = resolveServerOptions({ ...options, requireTls: options.requireTls ?? secureUrl });
  const sessions = new Set<Session>();
  const gate = new ConnectionGate(resolved);
  const registry: DataRegistry = { passive: new Set(), ports: new Set() };
  const cutOff = new AbortController();
  let draining = false;
  const readBudget = new ReadBudget(resolved.maxReadBufferBytes);
  const shared: SessionShared = {
    options: resolved,
    context,
    registry,
    secureContext: resolved.tls === undefined ? undefined : createSecureContext(resolved.tls),
    cutOff: cutOff.signal,
    draining: () => draining,
    readBudget,
  };
  const server = createServer({ noDelay: true }, (socket) => {
    if (draining) return refuse(socket, 'Service unavailable: the server is shutting down');
    const release = gate.admit(socket.remoteAddress);
    if (release === 'total') return refuse(socket, 'Too many requests: too many connections');
    if (release === 'per_address')
      return refuse(socket, 'Too many requests: too many connections from your address');
    const session = new Session(socket, shared);
    sessions.add(session);
    void session.closed.then(() => {
      sessions.delete(session);
      release();
    });
  });
  server.on('error', () => {});
  const port = await listenOn(server, url, 21);

  const stopAccepting = async (): Promise<void> => {
    draining = true;
    // The listening socket closes at once; the callback would wait for every connection.
    if (server.listening) server.close();
  };
  return {
    url: publicUrl(url, port),
    stopAccepting,
    async close(deadline) {
      await stopAccepting();
      const cut = (): void => {
        cutOff.abort(deadline.reason);
        for (const session of sessions) session.destroy();
      };
      if (deadline.aborted) cut();
      else deadline.addEventListener('abort', cut, { once: true });
      await Promise.all([...sessions].map((session) => session.shutdown()));
      await Promise.all([...sessions].map((session) => session.closed));
      deadline.removeEventListener('abort', cut);
      for (const channel of [...registry.passive]) channel.close();
    },
    stats: () => ({
      connections: sessions.size,
      passiveListeners: registry.passive.size,
      readBufferBytes: readBudget.inUse,
      replyBytes: [...sessions].reduce((sum, session) => sum + session.control.writableLength, 0),
    }),
  };
}

function refuse(socket: Socket, text: string): void {
  socket.on('error', () => {});
  socket.end(`421 ${text}\r\n`);
  setTimeout(() => socket.destroy(), 1000).unref();
}
