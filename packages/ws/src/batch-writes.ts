import type { Duplex } from 'node:stream';
import { WriteBatch } from '@parley/core/transport';

/**
 * The most frames one socket write holds. With every frame of a turn in one write, a busy
 * connection became a convoy (32 calls in flight: 0.67x of a loop written by hand on an idle
 * machine, 0.97x with this bound); a few frames per write keep the system calls few and let the
 * peer start on the first replies while the rest are made.
 */
const MAX_BATCH_FRAMES = 8;

/**
 * Groups the frames written to `socket` in one turn of the event loop into few socket writes
 * (see {@link WriteBatch}). Returns the function to call before each write.
 */
export function batchWrites(socket: Duplex): () => void {
  const batch = new WriteBatch(MAX_BATCH_FRAMES);
  return () => batch.add(socket);
}
