import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** The answers node:http itself gives to requests it cannot parse, by error code. */
const ANSWERS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/**
 * Answers the parse errors of a server's connections as node:http does (400, 408, 413, 431, then
 * the connection is cut), except bytes after a request with `Connection: close`: that request is
 * still answered, then the connection closes, and what came after it is never read as a request
 * (RFC 9112, 9.6). node:http's own answer replaced the close request's with a 400.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'HPE_CLOSED_CONNECTION') return;
    if (socket.writable && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0) {
      socket.write(ANSWERS[error.code ?? ''] ?? BAD_REQUEST);
    }
    socket.destroy(error);
  });
}

const CONNECT_TEXT =
  'CONNECT is not carried; Parley over HTTP carries GET, HEAD, PUT, POST, DELETE and MOVE (LIST is a GET on a path ending in /)\n';

/**
 * Answers `CONNECT` (a tunnel request, which node:http hands to its `connect` event and, with
 * nobody listening, drops without a word) with 501 and the methods carried, then closes.
 */
export function answerConnectRequests(server: Server, allow: string): void {
  server.on('connect', (_request: unknown, socket: Duplex) => {
    socket.on('error', () => undefined);
    socket.end(
      `HTTP/1.1 501 Not Implemented\r\nallow: ${allow}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(CONNECT_TEXT)}\r\nconnection: close\r\n\r\n${CONNECT_TEXT}`,
    );
  });
}
