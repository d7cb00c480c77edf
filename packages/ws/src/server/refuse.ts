import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers an upgrade request with an HTTP error instead of a WebSocket, and closes the connection. */
export function refuseUpgrade(
  socket: Duplex,
  code: number,
  message: string,
  fields: Readonly<Record<string, string>> = {},
): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = Buffer.from(`${message}\n`);
  const lines = [
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`,
    'connection: close',
    'content-type: text/plain; charset=utf-8',
    `content-length: ${body.byteLength}`,
    ...Object.entries(fields).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
  socket.once('finish', () => socket.destroy());
}
