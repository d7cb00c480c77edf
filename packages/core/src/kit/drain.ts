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
    this.#inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.#inFlight === 0) for (const resolve of this.#waiting) resolve();
    };
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
