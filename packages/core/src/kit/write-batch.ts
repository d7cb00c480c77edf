/** A stream whose writes can be held back and sent together (a Node.js socket or Duplex). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** Runs a batch's flush later: when is the schedule's choice. */
export type BatchSchedule = (flush: () => void) => void;

/** `setImmediate`, where there is one (not in browsers). */
const checkPhase = (globalThis as { setImmediate?: BatchSchedule }).setImmediate;

/**
 * Groups what a transport writes into few socket writes: the first write of a batch corks the
 * stream, and the batch's `schedule` uncorks it. By default that is `setImmediate` (the check
 * phase of the same turn of the event loop, no timer), so many small frames or packets cost one
 * system call and one TCP segment and none waits longer than it would anyway; a transport whose
 * writes should leave sooner (a lone request, whose peer waits for it) schedules the flush
 * earlier, once the current microtasks have run. A batch that reaches `maxWrites` goes out at
 * once and the next one begins: an unbounded batch can turn a busy connection into a convoy, each
 * end idle while the other works through a whole batch. Without a schedule (browsers have no
 * `setImmediate`), every write goes out as it is made.
 *
 * @example
 * ```ts
 * const batch = new WriteBatch(8);
 * batch.add(socket); // before each frame written to socket
 * socket.write(frame);
 * ```
 */
export class WriteBatch {
  readonly #maxWrites: number;
  readonly #later: BatchSchedule | undefined;
  #corked: Corkable | undefined;
  #writes = 0;

  /**
   * @param maxWrites - the most writes one batch holds. Default: no bound.
   * @param schedule - runs the flush of each batch that begins. Default: `setImmediate`, where
   *   there is one.
   */
  constructor(maxWrites = Number.POSITIVE_INFINITY, schedule: BatchSchedule | undefined = checkPhase) {
    this.#maxWrites = maxWrites;
    this.#later = schedule;
  }

  /** Call before each write to `stream`: it joins the batch of this turn (or starts one). */
  add(stream: Corkable): void {
    if (this.#later === undefined) return;
    if (this.#corked === stream) {
      if (this.#writes < this.#maxWrites) {
        this.#writes++;
        return;
      }
      // Full: send what the batch holds, and start the next one with this write.
      stream.uncork();
      stream.cork();
      this.#writes = 1;
      return;
    }
    // A write to another stream (a connection made anew) sends the old batch first.
    this.#flush();
    this.#corked = stream;
    this.#writes = 1;
    stream.cork();
    this.#later(this.#flush);
  }

  readonly #flush = (): void => {
    const stream = this.#corked;
    this.#corked = undefined;
    stream?.uncork();
  };
}
