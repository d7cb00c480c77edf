import { ParleyError } from './error.js';

/**
 * A per-call deadline joined with the caller's AbortSignal. It fails on whichever comes first,
 * with a `timeout` or a `cancelled` ParleyError. Its {@link Deadline.signal} is made only when
 * something reads it, so a call whose transport never looks at the signal costs no
 * `AbortController`.
 *
 * @example
 * ```ts
 * const deadline = new Deadline(5_000, options.signal);
 * const reply = await deadline.race(connection.read());
 * ```
 */
export class Deadline {
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #caller: AbortSignal | undefined;
  readonly #timeoutMs: number;
  #controller: AbortController | undefined;
  #failure: ParleyError | undefined;
  #reject: ((error: ParleyError) => void) | undefined;
  readonly #onCallerAbort = (): void => this.#fail(new ParleyError('cancelled', 'The call was aborted'));

  /**
   * Starts the deadline's clock.
   *
   * @param timeoutMs - the time the call may take, in ms
   * @param caller - the caller's signal, if any; aborting it fails the call with `cancelled`
   */
  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#caller = caller;
    if (caller?.aborted) this.#onCallerAbort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
    if (Number.isFinite(timeoutMs) && this.#failure === undefined) {
      this.#timer = setTimeout(() => this.#fail(this.#timeoutError()), timeoutMs);
      this.#timer.unref?.();
    }
  }

  /** Aborts at the deadline or when the caller aborts (made on first read). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#failure !== undefined) this.#controller.abort(this.#failure);
    }
    return this.#controller.signal;
  }

  /** Why the call failed when the deadline passed or the caller aborted, else `undefined`. */
  get failure(): ParleyError | undefined {
    return this.#failure;
  }

  /** Settles as `work` does, or rejects as soon as the deadline passes or the caller aborts. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.#failure !== undefined) {
      work.catch(() => undefined);
      return Promise.reject(this.#failure);
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      work.then(resolve, reject);
    });
  }

  /** The error to throw for the call: its deadline or abort failure, else `fallback` as a ParleyError. */
  error(fallback: unknown): ParleyError {
    return this.#failure ?? ParleyError.from(fallback);
  }

  /** Stops the timer and forgets the caller's signal. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  #fail(error: ParleyError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#controller?.abort(error);
    this.#reject?.(error);
  }

  #timeoutError(): ParleyError {
    return new ParleyError('timeout', `No answer within ${this.#timeoutMs} ms`, { retryable: false });
  }
}
