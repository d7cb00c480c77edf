import { ParleyError } from '@parley/core';

/** The signal of one request being handled. */
export interface RequestSignal {
  /** Aborts at the request's deadline or when the server cuts requests off. */
  readonly signal: AbortSignal;
  /** Forgets the request once it is answered. */
  release(): void;
}

interface Live {
  readonly controller: AbortController;
  readonly deadline: number | undefined;
}

/**
 * The abort signals of the requests a server is handling: each aborts at its request's deadline
 * (epoch ms) or when the server cuts requests off. One timer watches the earliest deadline, so a
 * request costs no timer of its own.
 */
export class RequestSignals {
  readonly #live = new Set<Live>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #cutOff: ParleyError | undefined;

  /** A signal for a request that expires at `deadline` (epoch ms), or never when undefined. */
  open(deadline: number | undefined): RequestSignal {
    const live: Live = { controller: new AbortController(), deadline };
    if (this.#cutOff !== undefined) live.controller.abort(this.#cutOff);
    else {
      this.#live.add(live);
      if (deadline !== undefined) this.#arm(deadline);
    }
    return { signal: live.controller.signal, release: () => this.#release(live) };
  }

  /** Aborts every request being handled, and any opened later, with `reason`. */
  cutOff(reason: ParleyError): void {
    this.#cutOff ??= reason;
    const live = [...this.#live];
    this.#live.clear();
    this.#disarm();
    for (const { controller } of live) controller.abort(reason);
  }

  #release(live: Live): void {
    this.#live.delete(live);
    if (this.#live.size === 0) this.#disarm();
  }

  #arm(at: number): void {
    if (at >= this.#timerAt) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(this.#expire, Math.max(0, at - Date.now()));
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const { controller, deadline } of this.#live) {
      if (deadline === undefined || controller.signal.aborted) continue;
      if (deadline <= now) controller.abort(new ParleyError('timeout', 'The request expired'));
      else this.#arm(deadline);
    }
  };
}
