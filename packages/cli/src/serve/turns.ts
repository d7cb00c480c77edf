import { ParleyError } from '@parley/core';

/**
 * Runs at most `max` pieces of work at once; the others wait for a turn, first come first
 * served. A wait ends with `cancelled` when its signal aborts (the request was given up).
 */
export class Turns {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    /** How many run at once. */
    readonly max: number,
  ) {}

  /** Runs `work` once a turn is free; the turn passes on when it settles. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal | undefined): Promise<T> {
    await this.#take(signal);
    try {
      return await work();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  #take(signal: AbortSignal | undefined): Promise<void> {
    if (this.#running < this.max) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', giveUp);
        this.#running++;
        resolve();
      };
      const giveUp = (): void => {
        const index = this.#waiting.indexOf(start);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(new ParleyError('cancelled', 'The request was given up while it waited for its turn'));
      };
      if (signal?.aborted) {
        giveUp();
        return;
      }
      signal?.addEventListener('abort', giveUp, { once: true });
      this.#waiting.push(start);
    });
  }
}
