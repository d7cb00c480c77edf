import type { ChunkFiller } from '@parley/core';

/**
 * The size of the one buffer a filled request body is read into. It must be at least the
 * socket's write high-water mark (undici's: 64 KiB over TCP, 16 KiB over TLS), for the reason
 * given at {@link FilledChunks}. A 1 MiB buffer needs about a third less CPU per byte than
 * 256 KiB (fewer waits for `'drain'`); 2 or 4 MiB save nothing more.
 */
export const FILLED_CHUNK_BYTES = 1024 * 1024;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A request body read by a {@link ChunkFiller} into one reused buffer, as the async iterable
 * undici writes: no buffer is allocated per read.
 *
 * Reusing the buffer is safe because of how undici's HTTP/1.1 client writes an iterable body: it
 * asks for the next chunk only once `socket.write` of the last one returned `true`, or after the
 * socket's `'drain'` or `'close'`. A writable stream emits `'drain'` only when its queue is
 * empty, that is once every write has completed and the socket holds no reference to the memory
 * it wrote (nor does a closed one); and `write` returns `true` only while its queue, this chunk
 * included, is under the high-water mark, or empty (the chunk already written). So every chunk
 * but the last fills the whole buffer (a short read is filled up before the chunk is given),
 * which is above the mark: the buffer is filled again only once the socket has written all of
 * it. The last chunk, which may be short and still queued when undici asks for more, is never
 * overwritten: the end is known when it is given (the filler returned `0`), and the buffer is
 * not filled again.
 *
 * A second buffer would not help: with every write above the mark, undici never has more than
 * one chunk in the socket's queue. What the filler throws fails the request.
 */
export class FilledChunks implements AsyncIterableIterator<Uint8Array> {
  readonly #fill: ChunkFiller;
  readonly #buffer: Buffer;
  #ended = false;

  constructor(fill: ChunkFiller, bytes: number = FILLED_CHUNK_BYTES) {
    this.#fill = fill;
    this.#buffer = Buffer.allocUnsafe(bytes);
  }

  /** The next chunk: the whole buffer, or its filled start for the last one. */
  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#ended) return Promise.resolve(DONE);
    const buffer = this.#buffer;
    let filled = 0;
    try {
      while (filled < buffer.byteLength) {
        const bytes = this.#fill(filled === 0 ? buffer : buffer.subarray(filled));
        if (bytes === 0) {
          this.#ended = true;
          break;
        }
        filled += bytes;
      }
    } catch (error) {
      this.#ended = true;
      return Promise.reject(error);
    }
    if (filled === 0) return Promise.resolve(DONE);
    return Promise.resolve({
      done: false,
      value: filled === buffer.byteLength ? buffer : buffer.subarray(0, filled),
    });
  }

  /** Stops reading: the filler is not called again. */
  return(): Promise<IteratorResult<Uint8Array>> {
    this.#ended = true;
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
