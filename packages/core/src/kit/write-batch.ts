/** A stream whose writes can be held back and sent together (a Node.js socket or Duplex). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Groups what a transport writes in one turn of the event loop into few socket writes: the
 * first write of a turn corks the stream, and `setImmediate` (the check phase of the same turn,
 * no timer) uncorks it, so many small frames or packets cost one system call and one TCP segment
 * and none waits longer than it would anyway. A batch that reaches `maxWrites` goes out at once
 * and the next one begins: an unbounded batch can turn a busy connection into a convoy, each end
 * idle while the other works through a whole batch. Where there is no `setImmediate` (browsers),
 * every write goes out as it is made.
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
  readonly #later = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
  #corked: Corkable | undefined;
  #writes = 0;

  /** `maxWrites`: the most writes one batch holds. Default: no bound. */
  constructor(maxWrites = Number.POSITIVE_INFINITY) {
    this.#maxWrites = maxWrites;
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
