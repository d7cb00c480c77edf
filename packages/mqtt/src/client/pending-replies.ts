import { ParleyError } from '@parley/core';

/** One exchange waiting for its reply. */
interface Waiting<T> {
  readonly settle: (outcome: T | ParleyError) => void;
  /** When it gives up, in `performance.now()` ms. */
  readonly expiresAt: number;
}

/**
 * The exchanges of one connection waiting for their replies, by correlation id, with one timer
 * for all of them: every exchange waits the same `timeoutMs`, so the oldest expires first and
 * the timer only ever needs to watch the first entry (a Map keeps insertion order).
 */
export class PendingReplies<T> {
  readonly #timeoutMs: number;
  readonly #expired: () => ParleyError;
  readonly #waiting = new Map<string, Waiting<T>>();
  #timer: NodeJS.Timeout | undefined;

  /** `expired` makes the error of an exchange whose `timeoutMs` passed without a reply. */
  constructor(timeoutMs: number, expired: () => ParleyError = () => noReply(timeoutMs)) {
    this.#timeoutMs = timeoutMs;
    this.#expired = expired;
  }

  /** Starts waiting for the reply `id`; `settle` is called once, with the reply or an error. */
  add(id: string, settle: (outcome: T | ParleyError) => void): void {
    this.#waiting.set(id, { settle, expiresAt: performance.now() + this.#timeoutMs });
    this.#timer ??= setTimeout(this.#expire, this.#timeoutMs);
  }

  /** Settles the exchange `id`, if it is still waiting; false when it is not. */
  settle(id: string, outcome: T | ParleyError): boolean {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return false;
    this.#forget(id);
    waiting.settle(outcome);
    return true;
  }

  /** Settles every waiting exchange with `error`. */
  failAll(error: ParleyError): void {
    for (const id of [...this.#waiting.keys()]) this.settle(id, error);
  }

  #forget(id: string): void {
    this.#waiting.delete(id);
    if (this.#waiting.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    for (const [id, waiting] of this.#waiting) {
      if (waiting.expiresAt > now) {
        this.#timer ??= setTimeout(this.#expire, Math.max(1, waiting.expiresAt - now));
        return;
      }
      this.settle(id, this.#expired());
    }
  };
}

function noReply(timeoutMs: number): ParleyError {
  return new ParleyError('timeout', `No reply within ${timeoutMs} ms`, { retryable: true });
}
