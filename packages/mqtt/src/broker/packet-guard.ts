import type { Readable } from 'node:stream';
import type { ReceivingBudget } from '@parley/core/transport';
import { PacketSizeScanner } from '../packet-size-scanner.js';

/** Packets below this size are not counted against a {@link ReceivingBudget}: they arrive whole at once. */
const COUNTED_FROM_BYTES = 64 * 1024;

/**
 * Makes `stream` end itself when a packet announces more than `maxPacketBytes`, as soon as its
 * fixed header is read, or, with a `budget`, a packet of 64 KiB or more for which the budget of
 * its address has no room left. Room is taken when a packet's fixed header is read and given
 * back at its last byte or when the stream closes. It watches `read()`, which is how the
 * embedded broker takes bytes from a connection, so nothing is copied.
 */
export function guardPacketSize(
  stream: Readable,
  maxPacketBytes: number,
  onTooLarge: () => void,
  budget?: { readonly room: ReceivingBudget; readonly address: string | undefined },
): void {
  let held = 0;
  const watcher =
    budget === undefined
      ? undefined
      : {
          begin(length: number): boolean {
            if (length < COUNTED_FROM_BYTES) return true;
            if (!budget.room.take(budget.address, length)) return false;
            held = length;
            return true;
          },
          end(): void {
            if (held === 0) return;
            budget.room.give(budget.address, held);
            held = 0;
          },
        };
  if (watcher !== undefined) stream.once('close', () => watcher.end());
  const scanner = new PacketSizeScanner(maxPacketBytes, undefined, watcher);
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
