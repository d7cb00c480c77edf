import { Body } from '@parley/core';

/** The size of the pieces a held listing is handed out in: the transport's backpressure holds the rest. */
const PIECE_BYTES = 64 * 1024;

/**
 * The bytes of listing bodies made and not yet sent, across the requests of one folder service.
 * A client that asks for listings and never reads them makes the server hold each whole body; past
 * the budget, further listings are refused until some are sent, so their memory stays bounded.
 */
export class ListingBudget {
  #held = 0;

  constructor(
    /** The most bytes held at once; one body larger than that still goes out when it is alone. */
    readonly maxBytes: number,
  ) {}

  /** The bytes held now. */
  get held(): number {
    return this.#held;
  }

  /**
   * `bytes` as a body whose bytes count against the budget until its last piece is taken, it is
   * cancelled, or `signal` (its request's) aborts; `undefined` when they do not fit beside the
   * bodies held already.
   */
  hold(bytes: Uint8Array, signal: AbortSignal): Body | undefined {
    if (this.#held > 0 && this.#held + bytes.byteLength > this.maxBytes) return undefined;
    this.#held += bytes.byteLength;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#held -= bytes.byteLength;
      signal.removeEventListener('abort', release);
    };
    signal.addEventListener('abort', release, { once: true });
    const source = {
      async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
        try {
          for (let at = 0; at < bytes.byteLength; at += PIECE_BYTES)
            yield bytes.subarray(at, at + PIECE_BYTES);
        } finally {
          release();
        }
      },
      // Called when the body is cancelled, whether or not it was read.
      destroy: release,
    };
    return Body.from(source, bytes.byteLength);
  }
}
