import type { Duplex } from 'node:stream';

/**
 * The most frames one batch holds. A batch without bound turns a busy connection into a convoy:
 * one side writes everything it has in one go while the other waits, then the roles swap, so
 * the two ends rarely work at the same time. A few frames per write keep the system calls few
 * and let the peer start on the first replies while the rest are made.
 */
const MAX_BATCH_FRAMES = 8;

/**
 * Groups the frames written in one turn of the event loop into few socket writes: the first
 * write of a turn corks the socket and `setImmediate` (the check phase of the same turn)
 * uncorks it; a batch that reaches {@link MAX_BATCH_FRAMES} goes out at once. None waits longer
 * than it would anyway. Returns the function to call before each write.
 */
export function batchWrites(socket: Duplex): () => void {
  let corked = false;
  let frames = 0;
  const flush = (): void => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) {
      if (++frames < MAX_BATCH_FRAMES) return;
      // Full: send what the batch holds, and start the next one.
      socket.uncork();
      socket.cork();
      frames = 1;
      return;
    }
    corked = true;
    frames = 1;
    socket.cork();
    setImmediate(flush);
  };
}
