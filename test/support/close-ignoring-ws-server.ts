import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { startTalkingServer } from './raw-server.js';

/** A WebSocket server, written by hand, that never answers a close frame. */
export interface CloseIgnoringWsServer {
  /** `ws://127.0.0.1:<port>/parley`. */
  readonly url: string;
  /** Resolves once the first upgraded connection's TCP connection has ended, whoever ended it. */
  readonly cut: Promise<void>;
  /** Stops listening and cuts the connections still open. */
  close(): Promise<void>;
}

/** What the server answers one binary message from the client with (nothing when undefined). */
export type MessageAnswer = (message: Buffer) => Uint8Array | undefined;

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_BINARY = 0x2;

/**
 * Starts a server that completes every WebSocket upgrade, then keeps reading its connections and
 * ignores everything but binary messages, which `answer` may answer: its close frame never comes,
 * so only the client can end a connection. Without `answer`, it ignores everything after the
 * upgrade.
 */
export async function startCloseIgnoringWsServer(answer?: MessageAnswer): Promise<CloseIgnoringWsServer> {
  let ended = (): void => {};
  const cut = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const server = await startTalkingServer((socket) => {
    let head = Buffer.alloc(0);
    const readHead = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', readHead);
      socket.once('close', ended);
      socket.write(switchingProtocols(head.subarray(0, end).toString('latin1')));
      readMessages(socket, head.subarray(end + 4), answer);
    };
    socket.on('data', readHead);
  });
  return { url: `ws://127.0.0.1:${server.port}/parley`, cut, close: server.close };
}

/** The 101 answer to a WebSocket upgrade request's head, for servers written by hand in tests. */
export function switchingProtocols(head: string): string {
  const key = /^sec-websocket-key:\s*(\S+)/im.exec(head)?.[1] ?? '';
  const accept = createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
}

/** Reads the client's (masked, unfragmented) frames and hands binary ones to `answer`. */
function readMessages(socket: Socket, first: Buffer, answer: MessageAnswer | undefined): void {
  let pending = first;
  const take = (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const frame = nextFrame(pending);
      if (frame === undefined) return;
      pending = pending.subarray(frame.size);
      if (frame.opcode !== OPCODE_BINARY || answer === undefined) continue;
      const reply = answer(frame.payload);
      if (reply !== undefined) socket.write(binaryFrame(reply));
    }
  };
  socket.on('data', take);
  take(Buffer.alloc(0));
}

/** The first whole frame in `bytes`, unmasked, or undefined when it has not all arrived. */
function nextFrame(bytes: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = (bytes[0] ?? 0) & 0x0f;
  const masked = ((bytes[1] ?? 0) & 0x80) !== 0;
  let length = (bytes[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? bytes.subarray(offset, offset + 4) : undefined;
  if (mask) offset += 4;
  if (bytes.length < offset + length) return undefined;
  const payload = Buffer.from(bytes.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return { opcode, payload, size: offset + length };
}

/** An unmasked binary frame (a server's) holding `payload`. */
function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const head =
    length < 126
      ? Buffer.from([0x80 | OPCODE_BINARY, length])
      : length < 65536
        ? Buffer.from([0x80 | OPCODE_BINARY, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | OPCODE_BINARY, 127]), bigEndian64(length)]);
  return Buffer.concat([head, payload]);
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}
