import type { Corkable } from '@parley/core/transport';

/**
 * The most frames one socket write holds. With every frame of a turn in one write, a busy
 * connection became a convoy (32 calls in flight: 0.67x of a loop written by hand on an idle
 * machine, 0.97x with this bound); a few frames per write keep the system calls few and let the
 * peer start on the first replies while the rest are made.
 */
const MAX_BATCH_FRAMES = 8;

/**
 * Flushes are reactions to this settled promise: microtasks without the async-context
 * bookkeeping (an AsyncResource and a bound function) Node.js's `queueMicrotask` makes for each.
 */
const settled = Promise.resolve();

/**
 * Groups the frames written to `socket` while the current microtasks run into few socket
 * writes: the first frame corks the socket and a microtask queued behind the work already
 * pending uncorks it, so the replies to every request read from one chunk, and the frames one
 * request writes in a row, go out together, and a lone frame (one call in flight) leaves without
 * waiting for a later phase of the event loop. A batch that reaches {@link MAX_BATCH_FRAMES}
 * goes out at once and the next one begins. Returns the function to call before each write.
 */
export function batchWrites(socket: Corkable): () => void {
  let frames = 0;
  const flush = (): void => {
    frames = 0;
    socket.uncork();
  };
  return () => {
    if (frames === 0) {
      socket.cork();
      frames = 1;
      settled.then(flush);
    } else if (frames < MAX_BATCH_FRAMES) frames++;
    else {
      // Full: send what the batch holds, and start the next one with this frame.
      socket.uncork();
      socket.cork();
      frames = 1;
    }
  };
}
