import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerText } from './reply.js';

/** How long, and how much, a connection closed in the middle of a request body is still read. */
export interface LingerLimits {
  /** The longest time, in ms. */
  readonly ms: number;
  /** The most bytes read and thrown away. */
  readonly bytes: number;
}

/**
 * Answers with a short text and closes the connection without losing the answer while the
 * client is still sending its body (an upload over the limit). Closing a socket with unread
 * bytes makes the kernel reset the connection, and a reset can wipe the answer out before the
 * client (or a proxy such as nginx, which then reports `502`) has read it. So the connection is
 * half-closed once the answer is out, and what still arrives is read and thrown away until the
 * body ends or the client closes (then the socket is closed), or `limits.bytes` were read (then
 * reading stops, which stalls the client), or `limits.ms` have passed (then it is closed).
 */
export function answerAndLinger(
  req: IncomingMessage,
  res: ServerResponse,
  code: number,
  message: string,
  limits: LingerLimits,
): void {
  if (!req.complete && !res.headersSent) linger(req, req.socket, limits);
  answerText(res, code, message, true);
}

/**
 * Reads and throws away the rest of a request body the handler left unread once its answer is
 * out, so that the connection can carry the next request. Past `limits.bytes` the connection is
 * half-closed instead and read until the client closes, or `limits.ms` have passed: the answer
 * is never wiped out by a reset.
 */
export function discardUnreadBody(req: IncomingMessage, limits: LingerLimits): void {
  const socket = req.socket;
  let read = 0;
  let closing = false;
  const timer = setTimeout(() => socket.destroy(), limits.ms);
  socket.once('close', () => clearTimeout(timer));
  req.once('end', () => {
    if (closing) socket.destroy();
    else clearTimeout(timer);
  });
  req.on('data', (chunk: Uint8Array) => {
    read += chunk.byteLength;
    if (closing || read <= limits.bytes) return;
    closing = true;
    // The client closing its side means nothing more comes: close at once.
    socket.once('end', () => socket.destroy());
    socket.end();
  });
  req.resume();
}

function linger(req: IncomingMessage, socket: Socket, limits: LingerLimits): void {
  let read = 0;
  let flushed = false;
  const close = (): void => {
    socket.destroy();
  };
  const timer = setTimeout(close, limits.ms);
  socket.once('close', () => clearTimeout(timer));
  // The client closing its side means nothing more comes: close at once.
  socket.once('end', close);
  req.on('data', (chunk: Uint8Array) => {
    read += chunk.byteLength;
    // Past the byte limit nothing more is read, but the socket is not closed yet: closing it
    // with bytes unread would reset the connection and could wipe out the answer the client has
    // not read yet. Unread, the client's sending stalls (TCP flow control) until it closes or
    // the time limit closes the socket.
    if (read > limits.bytes) req.pause();
  });
  req.once('end', () => {
    if (flushed) close();
  });
  req.resume();
  // After a `Connection: close` answer, `node:http` ends the socket with `destroySoon()`, which
  // closes it as soon as the answer is written: here it only half-closes it.
  const lingering = socket as Socket & { destroySoon?: () => void };
  lingering.destroySoon = () => {
    socket.end(() => {
      flushed = true;
      if (req.complete) close();
    });
  };
}
