/**
 * Watches the abort signals of calls in flight, but only of calls still in flight some time after
 * they were sent. The core client makes a call's `AbortController` only when something reads the
 * call's signal, and making one (with its listener) costs more than a quick call over an open
 * connection; a call answered within `delayMs` never has one. A caller that aborts sooner learns
 * at once from the core client (its deadline races the call); only the `CANCEL` telling the
 * server goes out later, at most twice `delayMs` after the call was sent.
 */
export class AbortWatch<T> {
  readonly #delayMs: number;
  readonly #watch: (item: T) => void;
  /** Added since the last sweep: watched at the sweep after next. */
  #young: T[] = [];
  /** Added before the last sweep: watched at the next. */
  #old: T[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `watch` is called once for each item, between `delayMs` and twice that after it was added. */
  constructor(delayMs: number, watch: (item: T) => void) {
    this.#delayMs = delayMs;
    this.#watch = watch;
  }

  /** Adds a call to watch after the delay. */
  add(item: T): void {
    this.#young.push(item);
    if (this.#timer === undefined) this.#arm();
  }

  /** Forgets every call waiting (the connection closed). */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#young = [];
    this.#old = [];
  }

  #arm(): void {
    const timer = setTimeout(this.#sweep, this.#delayMs);
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    const old = this.#old;
    this.#old = this.#young;
    this.#young = [];
    if (this.#old.length > 0) this.#arm();
    for (const item of old) this.#watch(item);
  };
}
