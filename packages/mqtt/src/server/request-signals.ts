import { ParleyError } from '@parley/core';
import { timerDelay } from '@parley/core/transport';
import { SteadySet } from '../steady-collections.js';

/** The signal of one request being handled. */
export interface RequestSignal {
  /**
   * Makes the request's signal, which aborts at the request's deadline or when the server cuts
   * requests off: made on first call only, so a handler that never reads it costs no
   * `AbortController`.
   */
  readonly signal: () => AbortSignal;
  /** Forgets the request once it is answered. */
  release(): void;
}

/**
 * One request being handled: its controller once its signal was read, and why it aborted. It is
 * its own {@link RequestSignal} (one object and one closure per request).
 */
class Live implements RequestSignal {
  controller: AbortController | undefined = undefined;
  reason: ParleyError | undefined;
  readonly deadline: number | undefined;
  readonly #all: SteadySet<Live>;
  readonly signal = (): AbortSignal => signalOf(this);

  constructor(all: SteadySet<Live>, reason: ParleyError | undefined, deadline: number | undefined) {
    this.#all = all;
    this.reason = reason;
    this.deadline = deadline;
  }

  release(): void {
    this.#all.delete(this);
  }
}

/**
 * The abort signals of the requests a server is handling: each aborts at its request's deadline
 * (epoch ms) or when the server cuts requests off. One timer watches the earliest deadline (and
 * may fire with nothing left to abort), so a request costs no timer of its own, and its `AbortController` is made only when its handler
 * reads the signal (a signal read after the request expired comes aborted).
 */
export class RequestSignals {
  readonly #live = new SteadySet<Live>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #cutOff: ParleyError | undefined;

  /** A signal for a request that expires at `deadline` (epoch ms), or never when undefined. */
  open(deadline: number | undefined): RequestSignal {
    const live = new Live(this.#live, this.#cutOff, deadline);
    if (live.reason === undefined) {
      this.#live.add(live);
      if (deadline !== undefined) this.#arm(deadline);
    }
    return live;
  }

  /** Aborts every request being handled, and any opened later, with `reason`. */
  cutOff(reason: ParleyError): void {
    this.#cutOff ??= reason;
    const live = [...this.#live];
    this.#live.clear();
    this.#disarm();
    for (const one of live) abort(one, reason);
  }

  /**
   * Forgets a request. The timer stays armed even when none is left (it keeps no process alive):
   * requests one at a time would otherwise each arm and clear one.
   */
  #arm(at: number): void {
    if (at >= this.#timerAt) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    // A deadline past a timer's range is waited for in steps: {@link #expire} re-arms while it is ahead.
    this.#timer = setTimeout(this.#expire, timerDelay(at - Date.now()));
    (this.#timer as { unref?: () => void }).unref?.();
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
    for (const live of this.#live) {
      if (live.deadline === undefined || live.reason !== undefined) continue;
      if (live.deadline <= now) abort(live, new ParleyError('timeout', 'The request expired'));
      else this.#arm(live.deadline);
    }
  };
}

/** The request's signal, made on first read (aborted at once when the request already was). */
function signalOf(live: Live): AbortSignal {
  if (live.controller === undefined) {
    live.controller = new AbortController();
    if (live.reason !== undefined) live.controller.abort(live.reason);
  }
  return live.controller.signal;
}

function abort(live: Live, reason: ParleyError): void {
  if (live.reason !== undefined) return;
  live.reason = reason;
  live.controller?.abort(reason);
}
