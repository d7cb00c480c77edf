import { Readable } from 'node:stream';
import { type LendingSource, type LentChunkConsumer, lendChunks, ParleyError } from '@parley/core';
import { noteKept, noteLent } from './reused-reads.js';

/** The bytes a streamed answer body holds before undici's parser pauses. */
const BODY_BUFFER_BYTES = 64 * 1024;

/**
 * A streamed answer body. Reading it resumes undici's parser; destroying it before its end aborts
 * the exchange. It can also lend its chunks (`Body.lend`): once a reader lends them and the
 * stream holds none, each chunk undici parses goes straight to that reader's consumer, with no
 * stream, queue or promise in between, and undici goes on parsing as soon as it returns.
 */
export class AnswerStream extends Readable implements LendingSource {
  readonly #resume: () => void;
  readonly #abort: (error: Error) => void;
  #lent: LentChunkConsumer | undefined;

  constructor(resume: () => void, abort: (error: Error) => void) {
    super({ highWaterMark: BODY_BUFFER_BYTES });
    this.#resume = resume;
    this.#abort = abort;
    // A body cut off before anything reads it keeps its error (`errored`) for its reader, who
    // meets it on reading; it is not thrown as an uncaught 'error' event meanwhile.
    this.on('error', ignore);
  }

  /**
   * Hands on a chunk undici parsed: to the consumer that borrows chunks when there is one and
   * nothing is queued before it, else into the stream. Returns whether undici may parse on (it
   * pauses while the stream is full, or once the consumer failed and the exchange is aborted).
   */
  deliver(chunk: Buffer): boolean {
    const consume = this.#lent;
    if (consume === undefined || this.readableLength > 0) {
      noteKept();
      return this.push(chunk);
    }
    return this.#lend(consume, chunk);
  }

  /** Hands `chunk` to `consume`; false once it threw (the stream is then destroyed with that). */
  #lend(consume: LentChunkConsumer, chunk: Buffer): boolean {
    try {
      consume(chunk);
      noteLent();
      return true;
    } catch (error) {
      noteKept();
      this.destroy(error as Error);
      return false;
    }
  }

  /**
   * Gives every remaining chunk to `consume`: first those the stream holds, then each as undici
   * parses it (see {@link AnswerStream.deliver}). Resolves at the body's end; rejects with its
   * error, or with what `consume` threw (the exchange then aborted).
   */
  [lendChunks](consume: LentChunkConsumer): Promise<void> {
    // Cut off before its reader came (its 'close' is past or pending): nothing more will come.
    if (this.destroyed) return Promise.reject(this.errored ?? discarded());
    this.#lent = consume;
    return new Promise((resolve, reject) => {
      this.on('data', (chunk: Buffer) => this.#lend(consume, chunk));
      this.once('end', resolve);
      this.once('error', reject);
      this.once('close', () => reject(this.errored ?? discarded()));
    });
  }

  override _read(): void {
    this.#resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.readableEnded) this.#abort(error ?? new Error('The response body was discarded'));
    callback(error);
  }
}

function discarded(): ParleyError {
  return new ParleyError('cancelled', 'The response body was discarded');
}

function ignore(): void {}
