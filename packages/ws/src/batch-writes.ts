import { type Corkable, WriteBatch } from '@parley/core/transport';

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
 * Groups the frames written to `socket` into few socket writes (see core's `WriteBatch`), and
 * chooses when each batch goes out. With other requests in flight on the connection
 * (`crowded`), more frames are likely in this turn of the event loop (the answers to every
 * request read in it), so the batch waits for the turn's check phase (`setImmediate`). A request
 * alone on its connection has nothing to wait for: its frames go out once the current microtasks
 * have run (the frames it writes in a row still together), not a phase of the event loop later;
 * and a frame that is the whole of its request or response (`whole`) goes out at once, without
 * a batch, when no batch is open. A batch that reaches {@link MAX_BATCH_FRAMES} goes out at once
 * and the next one begins. Returns the function to call before each write.
 */
export function batchWrites(socket: Corkable, crowded: () => boolean): (whole?: boolean) => void {
  /** Whether a batch is open (the socket corked until its flush). */
  let open = false;
  let flushBatch: (() => void) | undefined;
  const flush = (): void => {
    open = false;
    flushBatch?.();
  };
  const batch = new WriteBatch(MAX_BATCH_FRAMES, (batchFlush) => {
    flushBatch = batchFlush;
    open = true;
    if (crowded()) setImmediate(flush);
    else settled.then(flush);
  });
  return (whole = false) => {
    if (whole && !open && !crowded()) return;
    batch.add(socket);
  };
}
