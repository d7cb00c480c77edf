/** Opens a body for reading: its buffered bytes, or the iterator of its source (see {@link BodyChunks}). */
export const openChunks: unique symbol = Symbol('parley.openChunks');
/** Tells a body it is done with: read to its end, failed or returned early (see {@link BodyChunks}). */
export const settleChunks: unique symbol = Symbol('parley.settleChunks');

/** What {@link BodyChunks} reads: a body, through two methods kept inside `@parley/core`. */
export interface ChunkSource {
  /** Marks the body used (throws when it was) and returns its bytes or its source's iterator. */
  [openChunks](): Uint8Array | AsyncIterator<Uint8Array | string>;
  /** Called once when a source is read to its end, fails or is returned early. */
  [settleChunks](): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const encoder = new TextEncoder();

/**
 * The iterator of a body's chunks: what an async generator around `for await` over the source
 * would do (the body is taken on the first `next`, text chunks are encoded, the source's
 * `return` is called when the reader stops early, and the body is settled once at the end),
 * with one promise reaction per chunk instead of a generator's resumption and two. It expects
 * one `next` at a time, as `for await` asks.
 */
export class BodyChunks implements AsyncIterator<Uint8Array> {
  readonly #body: ChunkSource;
  #source: AsyncIterator<Uint8Array | string> | undefined;
  /** The buffered bytes not handed out yet. */
  #bytes: Uint8Array | undefined;
  #started = false;
  #done = false;
  /** The reactions to the source's `next`, made at its first read (a body of bytes needs none). */
  #onResult: ((result: IteratorResult<Uint8Array | string>) => IteratorResult<Uint8Array>) | undefined;
  #onError: ((error: unknown) => never) | undefined;

  constructor(body: ChunkSource) {
    this.#body = body;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#started) {
      this.#started = true;
      try {
        const opened = this.#body[openChunks]();
        if (opened instanceof Uint8Array) this.#bytes = opened;
        else this.#source = opened;
      } catch (error) {
        this.#done = true;
        return Promise.reject(error);
      }
    }
    if (this.#done) return Promise.resolve(DONE);
    const source = this.#source;
    if (source === undefined) {
      const bytes = this.#bytes;
      this.#bytes = undefined;
      this.#done = true;
      return Promise.resolve(
        bytes !== undefined && bytes.byteLength > 0 ? { done: false, value: bytes } : DONE,
      );
    }
    let pending: Promise<IteratorResult<Uint8Array | string>>;
    try {
      pending = source.next();
    } catch (error) {
      this.#finish();
      return Promise.reject(error);
    }
    this.#onResult ??= (result) => this.#result(result);
    this.#onError ??= (error) => this.#fail(error);
    return pending.then(this.#onResult, this.#onError);
  }

  /** A result of the source's `next`, handed on (a text chunk encoded). */
  #result(result: IteratorResult<Uint8Array | string>): IteratorResult<Uint8Array> {
    if (result.done === true) {
      this.#finish();
      return DONE;
    }
    const chunk = result.value;
    return typeof chunk === 'string'
      ? { done: false, value: encoder.encode(chunk) }
      : (result as IteratorYieldResult<Uint8Array>);
  }

  /** A failure of the source's `next`: the body is settled and the failure passed on. */
  #fail(error: unknown): never {
    this.#finish();
    throw error;
  }

  /** The reader stops early: the source's `return` is called, then the body is settled. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    const source = this.#source;
    const open = this.#started && !this.#done;
    this.#started = true;
    this.#done = true;
    this.#bytes = undefined;
    if (!open || source === undefined) return DONE;
    try {
      await source.return?.();
    } finally {
      this.#settle();
    }
    return DONE;
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#settle();
  }

  #settle(): void {
    this.#source = undefined;
    this.#body[settleChunks]();
  }
}
