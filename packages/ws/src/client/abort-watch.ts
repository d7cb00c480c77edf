/** A call as the {@link AbortWatch} sees it. */
export interface WatchedCall {
  /** The sweep generation it was sent in ({@link AbortWatch.stamp}). */
  readonly born: number;
  /** Its signal once watched, `undefined` before. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Watches the abort signals of calls in flight, but only of calls still in flight some time after
 * they were sent. The core client makes a call's `AbortController` only when something reads the
 * call's signal, and making one (with its listener) costs more than a quick call over an open
 * connection; a call answered within `delayMs` never has one. A caller that aborts sooner learns
 * at once from the core client (its deadline races the call); only the `CANCEL` telling the
 * server goes out later, between `delayMs` and twice that after the call was sent.
 *
 * One timer sweeps the calls in flight every `delayMs` while some are unwatched; finished calls
 * are not held here, so they are garbage as soon as they end.
 */
export class AbortWatch<T extends WatchedCall> {
  readonly #delayMs: number;
  readonly #inFlight: () => Iterable<T>;
  readonly #watch: (call: T) => void;
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `inFlight` lists the calls in flight; `watch` reads a call's signal (once per call). */
  constructor(delayMs: number, inFlight: () => Iterable<T>, watch: (call: T) => void) {
    this.#delayMs = delayMs;
    this.#inFlight = inFlight;
    this.#watch = watch;
  }

  /** The generation of a call sent now (its `born`); starts the sweeps when they are stopped. */
  stamp(): number {
    if (this.#timer === undefined) this.#arm();
    return this.#generation;
  }

  /** Stops sweeping (the connection closed). */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    const timer = setTimeout(this.#sweep, this.#delayMs);
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    const generation = ++this.#generation;
    let waiting = false;
    for (const call of this.#inFlight()) {
      if (call.signal !== undefined) continue;
      // Sent before the previous sweep: in flight for one delay at least.
      if (call.born < generation - 1) this.#watch(call);
      else waiting = true;
    }
    if (waiting) this.#arm();
  };
}
