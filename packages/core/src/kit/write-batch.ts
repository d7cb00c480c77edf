/** A stream whose writes can be held back and sent together (a Node.js socket or Duplex). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** Options of {@link WriteBatch}. */
export interface WriteBatchOptions {
  /** The most writes one batch holds. Default: no bound. */
  maxWrites?: number | undefined;
  /**
   * Whether the first write of a turn goes out at once, and only the writes after it in the same
   * turn are held. Right where one write per turn is the usual case and nothing else is coming
   * (one call in flight); wrong where a turn's first write is a minor one with the main one
   * right behind it (an MQTT acknowledgement before the reply). Default: false.
   */
  firstAtOnce?: boolean | undefined;
}

/**
 * Groups what a transport writes in one turn of the event loop into few socket writes: a write
 * corks the stream, and `setImmediate` (the check phase of the same turn, no timer) uncorks it,
 * so many small frames or packets cost one system call and one TCP segment and none waits longer
 * than the turn. With `firstAtOnce`, the first write of a turn goes out at once and only the ones
 * after it wait: with one call in flight, the peer starts on it while this side finishes its turn.
 * A batch that reaches `maxWrites` goes out at once and the next one begins: an unbounded batch
 * can turn a busy connection into a convoy, each end idle while the other works through a whole
 * batch. Where there is no `setImmediate` (browsers), every write goes out as it is made.
 *
 * @example
 * ```ts
 * const batch = new WriteBatch({ maxWrites: 8, firstAtOnce: true });
 * batch.add(socket); // before each frame written to socket
 * socket.write(frame);
 * ```
 */
export class WriteBatch {
  readonly #maxWrites: number;
  readonly #firstAtOnce: boolean;
  readonly #later = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
  /** The stream written to in this turn, if any. */
  #stream: Corkable | undefined;
  /** Whether it is corked. */
  #corked = false;
  /** The writes in the batch held by the cork. */
  #writes = 0;

  /** See {@link WriteBatchOptions}. */
  constructor(options: WriteBatchOptions = {}) {
    this.#maxWrites = options.maxWrites ?? Number.POSITIVE_INFINITY;
    this.#firstAtOnce = options.firstAtOnce ?? false;
  }

  /** Call before each write to `stream`: it joins the batch of this turn (or goes at once). */
  add(stream: Corkable): void {
    if (this.#later === undefined) return;
    if (this.#stream !== stream) {
      // The first write of a turn, or to another stream (a connection made anew: its
      // predecessor's batch is sent first).
      this.#flush();
      this.#stream = stream;
      this.#later(this.#endTurn);
      if (this.#firstAtOnce) return;
    }
    if (!this.#corked) {
      this.#corked = true;
      this.#writes = 1;
      stream.cork();
    } else if (this.#writes < this.#maxWrites) this.#writes++;
    else {
      // Full: send what the batch holds, and start the next one with this write.
      stream.uncork();
      stream.cork();
      this.#writes = 1;
    }
  }

  /** Sends the batch, if any. */
  #flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#stream?.uncork();
  }

  readonly #endTurn = (): void => {
    this.#flush();
    this.#stream = undefined;
  };
}
