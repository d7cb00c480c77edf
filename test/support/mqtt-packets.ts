import type { Socket } from 'node:net';

/** MQTT's variable-length Remaining Length. */
export function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

/** A UTF-8 string with its two-byte length in front, as MQTT writes strings. */
export function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
}

/** A whole packet: its first byte (type and flags), its remaining length, its body. */
export function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), remainingLength(body.length), body]);
}

/** Calls `onPacket` with each whole MQTT packet a socket sends: its type and its body. */
export function readPackets(socket: Socket, onPacket: (type: number, body: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      let length = 0;
      let offset = 1;
      for (let shift = 0; offset < pending.length; shift += 7) {
        const byte = pending[offset++] as number;
        length += (byte & 0x7f) << shift;
        if ((byte & 0x80) === 0) break;
      }
      if (offset + length > pending.length || offset === 1) return;
      const type = (pending[0] as number) >> 4;
      onPacket(type, pending.subarray(offset, offset + length));
      pending = pending.subarray(offset + length);
    }
  });
}
