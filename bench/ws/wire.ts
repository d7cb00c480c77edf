/**
 * The bytes both contenders put on the wire, written by hand: Parley's frame layout (see
 * docs/ws.md) for `GET /echo` answered `ok` with `pong`. A frame is one binary WebSocket message:
 * a byte of type and flags, a 4-byte stream id, a 4-byte length, the JSON head, then the body.
 */

/** `HEADERS` with the `END` flag: a whole request or reply in one frame. */
const HEADERS_END = 0x81;

/** The path every request of the benchmark asks for. */
export const ECHO_PATH = '/echo';

/** The reply body. */
export const PONG = 'pong';

/** The request head Parley's client sends: method, path and the time the caller waits (30 s less the ms spent). */
const REQUEST_HEAD = { method: 'GET', path: ECHO_PATH, timeout: 29_999 };

/** The reply head Parley's server sends for `respond('ok', 'pong')`. */
const REPLY_HEAD = { status: 'ok' };

/** A request frame on stream `id`. */
export function requestFrame(id: number): Buffer {
  return frame(id, REQUEST_HEAD, '');
}

/** The reply frame on stream `id`. */
export function replyFrame(id: number): Buffer {
  return frame(id, REPLY_HEAD, PONG);
}

/** A frame's stream id, JSON head (parsed) and body, as the hand-written peers read it. */
export function readFrame(data: Buffer): { id: number; head: Record<string, unknown>; body: Buffer } {
  const id = data.readUInt32BE(1);
  const length = data.readUInt32BE(5);
  const head = JSON.parse(data.toString('utf8', 9, 9 + length)) as Record<string, unknown>;
  return { id, head, body: data.subarray(9 + length) };
}

function frame(id: number, head: unknown, body: string): Buffer {
  const json = JSON.stringify(head);
  const bytes = Buffer.allocUnsafe(9 + Buffer.byteLength(json) + Buffer.byteLength(body));
  bytes[0] = HEADERS_END;
  bytes.writeUInt32BE(id, 1);
  const written = bytes.write(json, 9);
  bytes.writeUInt32BE(written, 5);
  bytes.write(body, 9 + written);
  return bytes;
}
