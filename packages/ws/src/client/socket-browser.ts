import { ParleyError } from '@parley/core';
import type { WsClientOptions } from '../options.js';
import { type ClientSocket, HIGH_WATER_BYTES, ignore, noneInFlight, type OpenSocket } from './socket.js';

/** The part of the platform's WebSocket this client uses. */
interface PlatformWebSocket {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  onopen: (() => void) | null;
  onerror: (() => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

type PlatformWebSocketClass = new (url: string) => PlatformWebSocket;

const OPEN = 1;

/**
 * Opens connections with the platform's WebSocket (browsers, Deno, Node.js 22+). It cannot set
 * header fields: credentials in the URL are left to the platform, and a refused upgrade is
 * only seen as a failed connection (`unavailable`).
 */
export function browserOpener(url: URL, options: WsClientOptions): OpenSocket {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  return (signal) =>
    new Promise<ClientSocket>((resolve, reject) => {
      const Platform = (globalThis as { WebSocket?: PlatformWebSocketClass }).WebSocket;
      if (Platform === undefined) {
        reject(new ParleyError('unsupported', 'This platform has no WebSocket', { retryable: false }));
        return;
      }
      const socket = new Platform(url.href);
      socket.binaryType = 'arraybuffer';
      const onAbort = (): void => {
        clearTimeout(timer);
        socket.close();
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        socket.close();
        reject(new ParleyError('timeout', `No WebSocket connection within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      socket.onerror = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(new ParleyError('unavailable', `The WebSocket connection to ${url.host} failed`));
      };
      socket.onopen = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(wrap(socket));
      };
    });
}

function wrap(socket: PlatformWebSocket): ClientSocket {
  const wrapped: ClientSocket = {
    onFrame: ignore,
    inFlight: noneInFlight,
    onClose: ignore,
    send: (frame) => socket.send(frame),
    writable: () => (socket.bufferedAmount < HIGH_WATER_BYTES ? undefined : drained(socket)),
    close: (code, reason) => socket.close(code, reason),
  };
  socket.onerror = ignore;
  socket.onmessage = (event) => {
    if (event.data instanceof ArrayBuffer) wrapped.onFrame(new Uint8Array(event.data));
    else socket.close(1003, 'Parley frames are binary messages');
  };
  socket.onclose = (event) => wrapped.onClose(event.code, event.reason);
  return wrapped;
}

/** Resolves once the platform socket's buffer is low again (it has no drain event: polled). */
function drained(socket: PlatformWebSocket): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (socket.bufferedAmount < HIGH_WATER_BYTES / 2 || socket.readyState !== OPEN) resolve();
      else setTimeout(check, 5);
    };
    check();
  });
}
