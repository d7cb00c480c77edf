import type { Readable } from 'node:stream';
import { PacketSizeScanner } from '../packet-size-scanner.js';

/**
 * Makes `stream` end itself when a packet announces more than `maxPacketBytes`, as soon as its
 * fixed header is read. It watches `read()`, which is how the embedded broker takes bytes from
 * a connection, so nothing is copied.
 */
export function guardPacketSize(stream: Readable, maxPacketBytes: number, onTooLarge: () => void): void {
  const scanner = new PacketSizeScanner(maxPacketBytes);
  const read = stream.read.bind(stream);
  stream.read = (size?: number) => {
    const chunk: unknown = read(size);
    if (chunk instanceof Uint8Array && !scanner.scan(chunk)) {
      onTooLarge();
      stream.destroy();
      return null;
    }
    return chunk;
  };
}
