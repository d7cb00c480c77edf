/**
 * Counts work in flight (requests, exchanges) so that a graceful close can wait for it: each
 * piece of work calls {@link DrainTracker.enter} and the function it returns once done;
 * {@link DrainTracker.drained} resolves when nothing is in flight or the deadline aborts.
 *
 * @example
 * ```ts
 * const tracker = new DrainTracker();
 * const done = tracker.enter();
 * try { await handle(request); } finally { done(); }
 * // on close:
 * await tracker.drained(AbortSignal.timeout(10_000));
 * ```
 */
export class DrainTracker {
  readonly #waiting = new Set<() => void>();
  #inFlight = 0;

  /** Work in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Counts one piece of work in; the returned function counts it out (once, however often called). */
  enter(): () => void {
    this.countIn();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.countOut();
    };
  }

  /**
   * Counts one piece of work in, without making a function: the caller pairs it with exactly one
   * {@link DrainTracker.countOut} (for hot paths; {@link DrainTracker.enter} guards against a second call).
   */
  countIn(): void {
    this.#inFlight++;
  }

  /** Counts out one piece of work counted in with {@link DrainTracker.countIn}. */
  countOut(): void {
    if (--this.#inFlight === 0 && this.#waiting.size > 0) for (const resolve of this.#waiting) resolve();
  }

  /** Resolves once nothing is in flight, or when `deadline` aborts, whichever comes first. */
  drained(deadline?: AbortSignal): Promise<void> {
    if (this.#inFlight === 0 || deadline?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#waiting.delete(done);
        deadline?.removeEventListener('abort', done);
        resolve();
      };
      this.#waiting.add(done);
      deadline?.addEventListener('abort', done, { once: true });
    });
  }
}
