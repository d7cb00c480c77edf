import { ParleyError } from './error.js';

/**
 * A per-call deadline joined with the caller's AbortSignal: `signal` aborts on whichever
 * comes first, and {@link Deadline.error} says which it was.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort = (): void =>
    this.#controller.abort(new ParleyError('cancelled', 'The call was aborted'));
  readonly #timeoutMs: number;

  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#caller = caller;
    if (caller?.aborted) this.#onCallerAbort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
    if (Number.isFinite(timeoutMs) && !this.#controller.signal.aborted) {
      this.#timer = setTimeout(() => this.#controller.abort(this.#timeoutError()), timeoutMs);
      this.#timer.unref?.();
    }
  }

  /** Aborts at the deadline or when the caller aborts. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The error to throw for an aborted call, or `fallback` turned into a ParleyError. */
  error(fallback: unknown): ParleyError {
    const reason = this.#controller.signal.reason;
    if (this.#controller.signal.aborted && reason instanceof ParleyError) return reason;
    return ParleyError.from(fallback);
  }

  /** A promise that rejects when the signal aborts, so no call can outlive its deadline. */
  expired(): Promise<never> {
    return new Promise<never>((_, reject) => {
      const signal = this.#controller.signal;
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  /** Stops the timer and forgets the caller's signal. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  #timeoutError(): ParleyError {
    return new ParleyError('timeout', `No answer within ${this.#timeoutMs} ms`, { retryable: false });
  }
}
