import type { Readable } from 'node:stream';
import { type AddressCounter, addressKey } from '@parley/core/transport';
import { PacketSizeScanner, type PacketWatcher } from '../packet-size-scanner.js';

/** Packets below this size are not counted against the receiving budget: they arrive whole at once. */
const COUNTED_FROM_BYTES = 64 * 1024;

/**
 * Makes `stream` end itself when a packet announces more than `maxPacketBytes`, as soon as its
 * fixed header is read, or, with a `budget` (bytes being received, counted per address), a
 * packet of 64 KiB or more for which the budget of its address has no room left. Room is taken
 * when a packet's fixed header is read and given back at its last byte or when the stream closes.
 * It watches `read()`, which is how the embedded broker takes bytes from a connection, so
 * nothing is copied.
 */
export function guardPacketSize(
  stream: Readable,
  maxPacketBytes: number,
  onTooLarge: () => void,
  budget?: { readonly room: AddressCounter; readonly address: string | undefined },
): void {
  const watcher = budget === undefined ? undefined : budgetWatcher(budget.room, addressKey(budget.address));
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

/** Takes room under `key` for each packet of 64 KiB or more as it begins; gives it back at its end. */
function budgetWatcher(room: AddressCounter, key: string): PacketWatcher {
  let held = 0;
  return {
    begin(length: number): boolean {
      if (length < COUNTED_FROM_BYTES) return true;
      if (room.take(key, length) !== undefined) return false;
      held = length;
      return true;
    },
    end(): void {
      if (held === 0) return;
      room.give(key, held);
      held = 0;
    },
  };
}
