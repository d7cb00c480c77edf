import type { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { BodyChunks, openChunks, settleChunks } from './body-chunks.js';
import { ParleyError } from './error.js';
import {
  type ChunkFiller,
  type FillingSource,
  fillChunks,
  type LendingSource,
  type LentChunkConsumer,
  lendChunks,
} from './lend.js';
import { platform } from './platform.js';

/**
 * Anything a {@link Body} can be built from. `null` and `undefined` make an empty body. A `Blob`
 * (or `File`) streams through `blob.stream()`, with its size known and its type as the body's
 * {@link Body.type}.
 */
export type BodyInit =
  | string
  | Blob
  | Uint8Array
  | ArrayBuffer
  | Readable
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Body
  | null
  | undefined;

/** Options of {@link Body.bytes} and {@link Body.text}. */
export interface ReadOptions {
  /** Refuse with a `too_large` ParleyError once more than this many bytes arrive. Default: no limit. */
  limit?: number | undefined;
}

const EMPTY = new Uint8Array(0);

/** The options of a read given none (one object for them all). */
const NO_READ_OPTIONS: ReadOptions = Object.freeze({});

/** String methods of ES2024 (in Node.js since 20), not in this package's `lib`. */
interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * Where the core client registers what to do once a body is done with: read to its end, failed,
 * cancelled or handed on as a stream that closed. Kept inside `@parley/core`.
 */
export const whenSettled: unique symbol = Symbol('parley.whenSettled');

/**
 * A byte stream consumed once: read it whole with {@link Body.bytes}, {@link Body.text} or
 * {@link Body.json}, or chunk by chunk with `for await`. Bodies stream end to end, so a large
 * transfer never sits whole in memory unless a reader asks for it.
 *
 * @example
 * ```ts
 * const body = Body.from('hello');
 * console.log(await body.text()); // "hello"
 * ```
 */
export class Body implements AsyncIterable<Uint8Array> {
  #buffered: Uint8Array | undefined;
  /** The text of a body built from a string: encoded only when its bytes are asked for. */
  readonly #text: string | undefined;
  readonly #source: AsyncIterable<Uint8Array | string> | undefined;
  #used = false;
  /** Called once when the body is done with (see {@link whenSettled}). */
  #onSettled: (() => void) | undefined;
  /** The length in bytes when known before reading, else `undefined`. */
  readonly size: number | undefined;
  /**
   * The media type of a body built from a `Blob` with one (`blob.type`), else `undefined`.
   * `respond` and `createRequest` use it as the `content-type` when none is given.
   */
  readonly type: string | undefined;

  private constructor(
    buffered: Uint8Array | undefined,
    source: AsyncIterable<Uint8Array | string> | undefined,
    size?: number,
    text?: string,
    type?: string,
  ) {
    this.#buffered = buffered;
    this.#source = source;
    this.#text = text;
    if (text !== undefined) this.size = platform.textBytes(text);
    else this.size = buffered !== undefined ? buffered.byteLength : size;
    this.type = type;
  }

  /** An empty body. */
  static empty(): Body {
    return new Body(EMPTY, undefined);
  }

  /**
   * Builds a body. `size` declares the length of a streamed source when known (it lets
   * transports announce it, for instance as `Content-Length` or FTP `SIZE`).
   */
  static from(init: BodyInit, size?: number): Body {
    if (init === null || init === undefined) return Body.empty();
    if (init instanceof Body) return init;
    if (typeof init === 'string') return new Body(undefined, undefined, undefined, init);
    if (init instanceof Uint8Array) return new Body(init, undefined);
    if (init instanceof ArrayBuffer) return new Body(new Uint8Array(init), undefined);
    if (isBlob(init))
      return new Body(undefined, blobChunks(init), init.size, undefined, init.type || undefined);
    return new Body(undefined, asyncIterable(init), size);
  }

  /** Whether the body has been read (or handed to a reader) already. */
  get used(): boolean {
    return this.#used;
  }

  /**
   * The bytes of a body built from a string or bytes, without consuming it; `undefined` for a
   * streamed body. Transports use it to send small bodies in one write, clients to retry.
   */
  get buffered(): Uint8Array | undefined {
    if (this.#buffered === undefined && this.#text !== undefined)
      this.#buffered = platform.encodeText(this.#text);
    return this.#buffered;
  }

  /**
   * The text of a body built from a string, without consuming it; `undefined` for any other
   * body. Transports use it to write a string without encoding it first.
   */
  get bufferedText(): string | undefined {
    return this.#text;
  }

  #take(): void {
    if (this.#used) throw new ParleyError('internal', 'The body has already been read');
    this.#used = true;
  }

  /**
   * Calls `callback` once the body is done with: at once for a body without a streamed source,
   * else when it is read to its end, fails, is cancelled, or the stream it was handed on as closes.
   */
  [whenSettled](callback: () => void): void {
    if (this.#source === undefined) callback();
    else this.#onSettled = callback;
  }

  /** Runs the callback of {@link whenSettled}, once (a method: no closure per body). */
  #settled(): void {
    const callback = this.#onSettled;
    this.#onSettled = undefined;
    callback?.();
  }

  /** Reads the chunks one by one. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return new BodyChunks(this);
  }

  /** Takes the body for the iterator of its chunks: its buffered bytes, or its source's iterator. */
  [openChunks](): Uint8Array | AsyncIterator<Uint8Array | string> {
    this.#take();
    const buffered = this.buffered;
    if (buffered !== undefined) return buffered;
    try {
      return (this.#source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
    } catch (error) {
      this.#settled();
      throw error;
    }
  }

  /** The source of a body read by the iterator of its chunks is done with. */
  [settleChunks](): void {
    this.#settled();
  }

  /**
   * Reads the whole body into one byte array. A body built from bytes or a string is answered
   * without an async function of its own (its frame is the largest allocation of a small read).
   */
  bytes(options: ReadOptions = NO_READ_OPTIONS): Promise<Uint8Array> {
    let buffered: Uint8Array | undefined;
    try {
      buffered = this.buffered;
      if (buffered === undefined) return this.#readAll(options.limit ?? Number.POSITIVE_INFINITY);
      this.#take();
      const limit = options.limit ?? Number.POSITIVE_INFINITY;
      if (buffered.byteLength > limit) throw tooLarge(limit);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(buffered);
  }

  /** Reads a streamed body's chunks into one byte array, up to `limit` bytes. */
  async #readAll(limit: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of this) {
      total += chunk.byteLength;
      // Leaving the loop returns the source's iterator, which releases (cancels) the source.
      if (total > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
    return chunks.length === 1 ? (chunks[0] as Uint8Array) : platform.concatBytes(chunks, total);
  }

  /** Reads the whole body as UTF-8 text. */
  async text(options: ReadOptions = NO_READ_OPTIONS): Promise<string> {
    const text = this.#text;
    if (text !== undefined) {
      this.#take();
      const limit = options.limit ?? Number.POSITIVE_INFINITY;
      if ((this.size as number) > limit) throw tooLarge(limit);
      // As if decoded from its UTF-8 bytes: lone surrogates read as U+FFFD.
      const checked = text as unknown as WellFormed;
      return checked.isWellFormed() ? text : checked.toWellFormed();
    }
    const bytes = await this.bytes(options);
    return platform.decodeText(bytes);
  }

  /** Reads the whole body as JSON; malformed JSON is a `bad_request` ParleyError. */
  async json<T = unknown>(options: ReadOptions = NO_READ_OPTIONS): Promise<T> {
    const text = await this.text(options);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ParleyError('bad_request', 'The body is not valid JSON', { cause: error });
    }
  }

  /**
   * The body as a Node.js Readable stream (consumes it). Node.js only: in browsers it throws an
   * `unsupported` ParleyError; iterate the body with `for await` there.
   */
  stream(): Readable {
    const toReadable = platform.toReadable;
    if (toReadable === undefined) {
      throw new ParleyError('unsupported', 'Body.stream() makes Node.js streams; iterate the body instead');
    }
    const buffered = this.buffered;
    if (buffered !== undefined) {
      this.#take();
      return toReadable(buffered.byteLength > 0 ? [buffered] : []);
    }
    const readable = toReadable(this, this.#source);
    if (readable === this.#source) this.#take();
    if (this.#onSettled !== undefined) readable.once('close', () => this.#settled());
    return readable;
  }

  /**
   * Reads the body by lending each chunk to `consume`, when its source can (a transport reading
   * into one reused buffer): no chunk is allocated per read, but each is valid only during the
   * call (see {@link LentChunkConsumer}). Resolves once every chunk was consumed; rejects with
   * the body's error or what `consume` threw. Returns `undefined`, the body left unread, when
   * the source cannot lend: read it another way then.
   *
   * `received`, when given, is called once, after the last chunk and before the promise
   * resolves. Where the body's end is confirmed some time after its last byte (an FTP upload
   * waits to tell a complete upload from a client that died), it is called as soon as the
   * bytes are all in, so a handler can start finishing (closing its file) during that wait;
   * the promise may still reject afterwards, and the handler must then undo the upload as
   * before (remove its temporary file).
   */
  lend(consume: LentChunkConsumer, received?: () => void): Promise<void> | undefined {
    const source = this.#source as Partial<LendingSource> | undefined;
    const lend = source?.[lendChunks];
    if (typeof lend !== 'function') return undefined;
    this.#take();
    const lent =
      received === undefined ? lend.call(source, consume) : lendTelling(source, lend, consume, received);
    if (this.#onSettled !== undefined) {
      const settled = (): void => this.#settled();
      lent.then(settled, settled);
    }
    return lent;
  }

  /**
   * Takes the body as a {@link ChunkFiller} reading into the caller's own buffers, when its
   * source can (a regular file): no buffer is allocated per read. Returns `undefined`, the body
   * left unread, when the source cannot: read it another way then.
   */
  filler(): ChunkFiller | undefined {
    const source = this.#source as Partial<FillingSource> | undefined;
    const fill = source?.[fillChunks];
    if (typeof fill !== 'function') return undefined;
    this.#take();
    this.#settled();
    return fill.call(source);
  }

  /** Discards the body without reading it, releasing the stream behind it. */
  async cancel(): Promise<void> {
    if (this.#used) return;
    this.#used = true;
    try {
      await destroySource(this.#source);
    } finally {
      this.#settled();
    }
  }
}

function isBlob(init: unknown): init is Blob {
  return typeof Blob === 'function' && init instanceof Blob;
}

/** The chunks of a blob: its stream is opened only when they are read. */
function blobChunks(blob: Blob): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () =>
      (blob.stream() as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](),
  };
}

function tooLarge(limit: number): ParleyError {
  return new ParleyError('too_large', `The body is larger than the limit of ${limit} bytes`);
}

async function destroySource(source: AsyncIterable<unknown> | undefined): Promise<void> {
  if (source === undefined) return;
  // A Node.js Readable (or anything else with `destroy`) is destroyed, not drained.
  const destroyable = source as { destroy?: unknown };
  if (typeof destroyable.destroy === 'function') {
    (destroyable.destroy as () => void).call(source);
    return;
  }
  // A web ReadableStream is cancelled directly: asking a locked one for an iterator would throw.
  const stream = source as { cancel?: unknown; locked?: unknown };
  if (typeof stream.cancel === 'function' && typeof stream.locked === 'boolean') {
    if (!stream.locked) await (stream.cancel as () => Promise<void>).call(source);
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  await iterator.return?.();
}

/**
 * The source as an async iterable: a web ReadableStream without `Symbol.asyncIterator` (Safari)
 * is read through its reader.
 */
function asyncIterable(init: unknown): AsyncIterable<Uint8Array | string> {
  if (typeof init !== 'object' || init === null) throw notABody(init);
  if (Symbol.asyncIterator in init) return init as AsyncIterable<Uint8Array | string>;
  if (typeof (init as Partial<ReadableStream>).getReader !== 'function') throw notABody(init);
  const stream = init as ReadableStream<Uint8Array>;
  return {
    async *[Symbol.asyncIterator]() {
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
    },
  };
}

/** The error for a value `Body.from` cannot read (a number, a plain object, an array...). */
function notABody(init: unknown): TypeError {
  const what = Array.isArray(init)
    ? 'an array'
    : typeof init === 'object'
      ? 'a plain object'
      : `a ${typeof init}`;
  return new TypeError(
    `A body is a string, bytes (Uint8Array, ArrayBuffer), a Blob, a stream or an async iterable of bytes, not ${what}`,
  );
}

/**
 * Lends a source's chunks, calling `received` exactly once: when the source says its last chunk
 * was consumed, or else when it resolves.
 */
function lendTelling(
  source: unknown,
  lend: LendingSource[typeof lendChunks],
  consume: LentChunkConsumer,
  received: () => void,
): Promise<void> {
  let told = false;
  const tell = (): void => {
    if (told) return;
    told = true;
    received();
  };
  return lend.call(source, consume, tell).then(tell);
}
