import { ParleyError } from '@parley/core';
import { SteadyMap } from '../steady-collections.js';

/** How often the waiting exchanges are looked over, in ms: for expired waits and aborted calls. */
export const SWEEP_MS = 50;

/** One exchange waiting for its reply. */
interface Waiting<T> {
  readonly settle: (outcome: T | ParleyError) => void;
  /** When it gives up, in `performance.now()` ms. */
  readonly expiresAt: number;
  /** Makes or reads the call's abort signal; `undefined` once watched (or when there is none). */
  signal: (() => AbortSignal) | undefined;
  /** The sweep it was added after. */
  readonly born: number;
  /** Stops listening to the call's signal, once watched. */
  unwatch: (() => void) | undefined;
}

/**
 * The exchanges of one connection waiting for their replies, by correlation id, with one sweep
 * timer for all of them: every exchange waits the same `timeoutMs`, so the oldest expires first
 * (entries keep insertion order; a {@link SteadyMap}, as calls one at a time would empty it on
 * every reply).
 *
 * A call's abort signal is watched only once the call has waited through a whole sweep
 * ({@link SWEEP_MS}): the core client makes a call's `AbortController` only when something reads
 * its signal, and making one, with its listener, costs more than a quick exchange. The caller
 * learns of its own abort at once from the core client; the exchange here is forgotten within
 * two sweeps.
 */
export class PendingReplies<T> {
  readonly #timeoutMs: number;
  readonly #expired: () => ParleyError;
  readonly #waiting = new SteadyMap<string, Waiting<T>>();
  #timer: NodeJS.Timeout | undefined;
  #sweeps = 0;

  /** `expired` makes the error of an exchange whose `timeoutMs` passed without a reply. */
  constructor(timeoutMs: number, expired: () => ParleyError = () => noReply(timeoutMs)) {
    this.#timeoutMs = timeoutMs;
    this.#expired = expired;
  }

  /**
   * Starts waiting for the reply `id`; `settle` is called once, with the reply, an error at the
   * end of the wait, or the abort reason of `signal` (a function, read only if the wait lasts).
   */
  add(id: string, settle: (outcome: T | ParleyError) => void, signal?: () => AbortSignal): void {
    const expiresAt = performance.now() + this.#timeoutMs;
    this.#waiting.set(id, { settle, expiresAt, signal, born: this.#sweeps, unwatch: undefined });
    this.#timer ??= this.#arm(Math.min(SWEEP_MS, this.#timeoutMs));
  }

  /** Settles the exchange `id`, if it is still waiting; false when it is not. */
  settle(id: string, outcome: T | ParleyError): boolean {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return false;
    this.#waiting.delete(id);
    waiting.unwatch?.();
    waiting.settle(outcome);
    return true;
  }

  /** Settles every waiting exchange with `error`. */
  failAll(error: ParleyError): void {
    for (const [id] of [...this.#waiting]) this.settle(id, error);
  }

  /** Expires the waits that passed, watches the signals of calls older than a sweep, re-arms. */
  readonly #sweep = (): void => {
    this.#timer = undefined;
    const sweep = ++this.#sweeps;
    const now = performance.now();
    for (const [id, waiting] of this.#waiting) {
      if (waiting.expiresAt <= now) this.settle(id, this.#expired());
      else if (waiting.signal !== undefined && waiting.born < sweep - 1) this.#watch(id, waiting);
    }
    const first = this.#waiting.first();
    if (first === undefined) return;
    const untilFirstExpires = Math.max(1, first.expiresAt - now);
    this.#timer ??= this.#arm(Math.min(SWEEP_MS, untilFirstExpires));
  };

  /**
   * The sweep timer. It is not cleared when the last exchange settles (calls one at a time would
   * each arm and clear one): a sweep that finds nothing waiting stops. It keeps no process alive.
   */
  #arm(ms: number): NodeJS.Timeout {
    const timer = setTimeout(this.#sweep, ms);
    (timer as { unref?: () => void }).unref?.();
    return timer;
  }

  #watch(id: string, waiting: Waiting<T>): void {
    const signal = (waiting.signal as () => AbortSignal)();
    waiting.signal = undefined;
    if (signal.aborted) {
      this.settle(id, ParleyError.from(signal.reason));
      return;
    }
    const onAbort = (): void => void this.settle(id, ParleyError.from(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.unwatch = () => signal.removeEventListener('abort', onAbort);
  }
}

function noReply(timeoutMs: number): ParleyError {
  return new ParleyError('timeout', `No reply within ${timeoutMs} ms`, { retryable: true });
}
