import type { Socket } from 'node:net';
import { ParleyError } from '@parley/core';
import { credentialsOf, formatBasicAuth, publicUrl } from '@parley/core/transport';
import WebSocket from 'ws';
import { batchWrites } from '../batch-writes.js';
import type { WsSettings } from '../options.js';
import { statusFromUpgrade } from '../status-map.js';
import { type ClientSocket, HIGH_WATER_BYTES, ignore, noneInFlight, type OpenSocket } from './socket.js';

/**
 * Opens connections with the `ws` package (Node.js has no WebSocket of its own before 22).
 * Credentials in the URL, or the `token` option, go on the upgrade as an `Authorization` field.
 */
export function nodeOpener(url: URL, settings: WsSettings): OpenSocket {
  const target = publicUrl(url);
  const headers: Record<string, string> = {};
  const authorization = authorizationOf(url, settings.token);
  if (authorization !== undefined) headers.authorization = authorization;
  return (signal) =>
    new Promise<ClientSocket>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const socket = new WebSocket(target, {
        headers,
        maxPayload: settings.maxPayload,
        perMessageDeflate: false,
        handshakeTimeout: settings.connectTimeoutMs,
        ...closeTimeout(settings.closeTimeoutMs),
        followRedirects: false,
        ...settings.tls,
      });
      socket.binaryType = 'nodebuffer';
      let tcp: Socket | undefined;
      socket.once('upgrade', (response) => {
        tcp = response.socket as Socket;
      });
      socket.once('unexpected-response', (request, response) => {
        request.destroy();
        const code = response.statusCode ?? 0;
        const retryAfter = response.headers['retry-after'];
        const hint = retryAfter === undefined ? '' : ` (retry after ${retryAfter} s)`;
        const status = statusFromUpgrade(code);
        reject(new ParleyError(status, `The server refused the WebSocket upgrade with ${code}${hint}`));
      });
      const onAbort = (): void => {
        reject(signal.reason);
        socket.terminate();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(ParleyError.from(error));
      });
      socket.once('open', () => {
        signal.removeEventListener('abort', onAbort);
        resolve(wrap(socket, tcp));
      });
    });
}

function wrap(socket: WebSocket, tcp: Socket | undefined): ClientSocket {
  const write = tcp === undefined ? undefined : batchWrites(tcp, () => wrapped.inFlight() > 1);
  /** Resolves once the connection has room again (or closed); shared by every stream waiting. */
  let room: Promise<void> | undefined;
  const wrapped: ClientSocket = {
    onFrame: ignore,
    inFlight: noneInFlight,
    onClose: ignore,
    send(frame, whole) {
      write?.(whole);
      socket.send(frame);
    },
    writable() {
      if (socket.bufferedAmount < HIGH_WATER_BYTES || tcp === undefined || tcp.destroyed) return undefined;
      // One wait for all the streams sending at once: a listener pair each would pass Node's
      // limit of 10 listeners per event (a warning) with more than 10 uploads on the connection.
      room ??= new Promise<void>((resolve) => {
        const done = (): void => {
          tcp.off('drain', done);
          tcp.off('close', done);
          room = undefined;
          resolve();
        };
        tcp.once('drain', done);
        tcp.once('close', done);
      });
      return room;
    },
    close(code, reason) {
      socket.close(code, reason);
    },
  };
  socket.on('message', (data, isBinary) => {
    if (isBinary) wrapped.onFrame(data as Buffer);
    else socket.close(1003, 'Parley frames are binary messages');
  });
  socket.on('error', ignore);
  socket.once('close', (code, reason) => wrapped.onClose(code, reason.toString()));
  return wrapped;
}

/**
 * ws's `closeTimeout` option: how long a closing connection waits for the server's close frame
 * before ws cuts it (its default, 30 s, kept a process that was done alive as long). ws 8.23 reads
 * it; its type declarations do not list it.
 */
function closeTimeout(ms: number): { closeTimeout: number } {
  return { closeTimeout: ms };
}

/** The `Authorization` value for the URL's credentials (Basic) or a token (Bearer). */
function authorizationOf(url: URL, token: string | undefined): string | undefined {
  if (token !== undefined) return `Bearer ${token}`;
  const credentials = credentialsOf(url);
  return credentials && formatBasicAuth(credentials.username, credentials.password);
}
