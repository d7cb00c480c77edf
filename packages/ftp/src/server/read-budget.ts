/** The largest read buffer of one download, in bytes (1 MiB). */
const LARGEST = 1024 * 1024;
/** The smallest read buffer of one download, in bytes (64 KiB, read whole each time): always granted. */
const SMALLEST = 64 * 1024;
/** Bytes of returned buffers kept for the next downloads (4 MiB); beyond, they are dropped. */
const DEFAULT_KEEP = 4 * 1024 * 1024;

/**
 * Hands out the read buffers of the files a listener sends. A download alone reads 1 MiB at a
 * time (large reads and writes cost the least CPU per byte); many at once share a fixed budget
 * and fall back to 64 KiB each, so memory stays bounded however many clients download.
 * Returned buffers are kept (up to 4 MiB) and handed out again: a buffer that lived through a
 * whole download has reached the old generation, where garbage waits long for a collection.
 */
export class ReadBudget {
  readonly #budget: number;
  readonly #keep: number;
  /** Returned buffers by size. */
  readonly #free = new Map<number, Buffer[]>();
  #inUse = 0;
  #kept = 0;

  /**
   * `budget`: bytes of read buffers the downloads of one listener share (the server's
   * `maxReadBufferBytes`); past it, each new download gets the smallest buffer.
   */
  constructor(budget: number, keep = DEFAULT_KEEP) {
    this.#budget = budget;
    this.#keep = keep;
  }

  /** Bytes held by the buffers taken and not yet given back. */
  get inUse(): number {
    return this.#inUse;
  }

  /** A read buffer for one download; give it back with {@link ReadBudget.give} when done. */
  take(): Buffer {
    let size = LARGEST;
    while (size > SMALLEST && this.#inUse + size > this.#budget) size /= 2;
    this.#inUse += size;
    const kept = this.#free.get(size)?.pop();
    if (kept === undefined) return Buffer.allocUnsafeSlow(size);
    this.#kept -= size;
    return kept;
  }

  /** Gives a buffer back: its share of the budget is free again, and it may serve another download. */
  give(buffer: Buffer): void {
    const size = buffer.byteLength;
    this.#inUse -= size;
    if (this.#kept + size > this.#keep) return;
    this.#kept += size;
    const list = this.#free.get(size);
    if (list === undefined) this.#free.set(size, [buffer]);
    else list.push(buffer);
  }
}
