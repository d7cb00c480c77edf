/** Options of {@link AsyncQueue}. */
export interface AsyncQueueOptions<T = unknown> {
  /** The most items held for a slow reader; older ones are dropped beyond it. Default: 1000. */
  maxItems?: number | undefined;
  /**
   * The most bytes held for a slow reader, as `sizeOf` counts them; older items are dropped
   * beyond it (the newest is always kept). Default: no bound but `maxItems`.
   */
  maxBytes?: number | undefined;
  /** The size of an item in bytes, for `maxBytes`. Default: 0 for every item. */
  sizeOf?: ((item: T) => number) | undefined;
  /** Ends the queue when it aborts. */
  signal?: AbortSignal | undefined;
  /** Runs once when the queue ends, whoever ended it. */
  onEnd?: (() => void) | undefined;
}

/**
 * A push-based async iterable: producers `push`, one reader iterates with `for await`.
 * Transports use it to turn incoming events into an async iterator.
 *
 * @example
 * ```ts
 * const queue = new AsyncQueue<string>();
 * queue.push('a');
 * queue.end();
 * for await (const item of queue) console.log(item); // "a"
 * ```
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  readonly #maxItems: number;
  readonly #maxBytes: number;
  readonly #sizeOf: ((item: T) => number) | undefined;
  /** The bytes the held items take, as `sizeOf` counts them. */
  #bytes = 0;
  readonly #onEnd: (() => void) | undefined;
  #waiting: ((result: IteratorResult<T>) => void) | undefined;
  #failure: unknown;
  #ended = false;

  /**
   * Makes an empty queue.
   *
   * @param options - how many items may wait for the reader, and a signal that ends the queue
   */
  constructor(options: AsyncQueueOptions<T> = {}) {
    this.#maxItems = options.maxItems ?? 1000;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#sizeOf = options.sizeOf;
    const signal = options.signal;
    if (signal?.aborted) {
      this.#onEnd = options.onEnd;
      this.end();
      return;
    }
    if (signal === undefined) {
      this.#onEnd = options.onEnd;
      return;
    }
    // The listener goes when the queue ends, so one long-lived signal serves many queues.
    const onAbort = (): void => this.end();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#onEnd = () => {
      signal.removeEventListener('abort', onAbort);
      options.onEnd?.();
    };
  }

  /** Whether the queue has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Adds an item, or hands it straight to a waiting reader. Ignored after the end. */
  push(item: T): void {
    if (this.#ended) return;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    const sizeOf = this.#sizeOf;
    if (sizeOf === undefined) {
      if (this.#items.length > this.#maxItems) this.#items.shift();
      return;
    }
    this.#bytes += sizeOf(item);
    while (this.#items.length > 1 && (this.#items.length > this.#maxItems || this.#bytes > this.#maxBytes))
      this.#bytes -= sizeOf(this.#items.shift() as T);
  }

  /** Ends the queue: the reader gets the items left, then stops (or throws `error` when given). */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = error;
    this.#onEnd?.();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  /** Reads the items as they come. Breaking out of the loop ends the queue. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      while (true) {
        if (this.#items.length > 0) {
          const item = this.#items.shift() as T;
          if (this.#sizeOf !== undefined) this.#bytes -= this.#sizeOf(item);
          yield item;
          continue;
        }
        if (this.#ended) break;
        const next = await new Promise<IteratorResult<T>>((resolve) => {
          this.#waiting = resolve;
        });
        if (next.done) break;
        yield next.value;
      }
      if (this.#failure !== undefined) throw this.#failure;
    } finally {
      this.end();
    }
  }
}
