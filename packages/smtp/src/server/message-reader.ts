import type { Readable } from 'node:stream';
import { ParleyError } from '@parley/core';
import { Base64Decoder } from './base64-decoder.js';
import { HeaderBlock } from './header-block.js';
import { QuotedPrintableDecoder } from './quoted-printable-decoder.js';

/** Options of a {@link MessageReader}. */
export interface MessageReaderOptions {
  /** Largest message, in bytes: past it the body fails with `too_large`. */
  readonly maxMessageBytes: number;
  /** Largest header block, in bytes: past it the head fails with `bad_request`. */
  readonly maxHeaderBytes: number;
  /** Keep the header block in the body and the content undecoded. */
  readonly raw: boolean;
}

/** What receives the head of a message a {@link MessageReader} reads. */
export interface OnHead {
  /**
   * Called once with the top-level header block (its fields read when asked for, see
   * {@link HeaderBlock}), or with the error that ended the message before its header block
   * was handed over. `complete` is the whole body when the message had ended by the time the
   * chunk that ended the header block was handled (a small message, usually); otherwise the
   * body streams from the reader.
   */
  head(error: Error | undefined, head: HeaderBlock | undefined, complete: Buffer | undefined): void;
}

/** Bytes the reader holds for a slow consumer before it pauses the source. */
const HIGH_WATER_MARK = 64 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const NO_BYTES = Buffer.alloc(0);

/**
 * Reads one received message in a single stage: counts its size (the body fails with
 * `too_large` past the limit), splits off the header block (handed to `onHead`), undoes a
 * `base64` or `quoted-printable` content transfer encoding (and drops its header) unless
 * `raw`, and hands the rest
 * to its one consumer as an async iterator of chunks, pausing the source while more than
 * 64 KiB wait. Without `onHead` the whole message streams, only counted.
 *
 * The header block is handed over once the chunk that ended it has been handled: with the
 * message whole, as bytes, when the source was ended by then (a small message, usually: its
 * consumer needs no iterator of its own), else at once, the body streaming.
 *
 * Once the reader is finished, failed or cancelled, the source keeps flowing to its end.
 */
export class MessageReader implements AsyncIterableIterator<Buffer> {
  readonly #source: Readable;
  readonly #options: MessageReaderOptions;
  #onHead: OnHead | undefined;
  /** The header block, split off and waiting for the next chunk or the end. */
  #held: HeaderBlock | undefined;
  #pending: Buffer | undefined;
  #decoder: Base64Decoder | QuotedPrintableDecoder | undefined;
  #seen = 0;
  /** The first chunk waiting for the consumer: most messages come in one, which needs no list. */
  #first: Buffer | undefined;
  /** The chunks waiting after {@link MessageReader.#first}. */
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #error: Error | undefined;
  #cancelled = false;
  #resolve: ((result: IteratorResult<Buffer>) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;

  constructor(source: Readable, options: MessageReaderOptions, onHead?: OnHead) {
    this.#source = source;
    this.#options = options;
    this.#onHead = onHead;
    source.on('data', (chunk: Buffer) => this.#data(chunk));
    source.on('end', () => this.#end());
    source.on('error', (error: Error) => this.fail(cancelled(error)));
  }

  /** Whether the consumer has nothing more to get: the message ended, failed or was cancelled. */
  get finished(): boolean {
    return (
      this.#cancelled ||
      this.#error !== undefined ||
      (this.#ended && this.#first === undefined && this.#queue.length === 0)
    );
  }

  /** Ends the message with an error: the head's callback gets it if it still waits, else the consumer. */
  fail(error: Error): void {
    const onHead = this.#onHead;
    if (onHead !== undefined) {
      this.#onHead = undefined;
      this.#held = undefined;
      // The rest of the message is dropped as it comes: queued for no consumer, it would pause
      // the source for good and the message would never end (nor get its reply).
      this.#error = error;
      this.#stop();
      onHead.head(error, undefined, undefined);
      return;
    }
    if (this.#ended || this.#error !== undefined || this.#cancelled) return;
    this.#error = error;
    this.#stop();
    const reject = this.#reject;
    this.#resolve = undefined;
    this.#reject = undefined;
    reject?.(error);
  }

  /** Stops handing out chunks (the consumer gets the end) and lets the source drain. */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#stop();
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.(DONE);
  }

  /** The next chunk of the body. */
  next(): Promise<IteratorResult<Buffer>> {
    let chunk = this.#first;
    if (chunk !== undefined) this.#first = undefined;
    else chunk = this.#queue.shift();
    if (chunk !== undefined) {
      this.#queued -= chunk.byteLength;
      if (this.#queued <= HIGH_WATER_MARK && this.#source.readableFlowing === false) this.#source.resume();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended || this.#cancelled) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Called when the consumer stops early: cancels the rest. */
  return(): Promise<IteratorResult<Buffer>> {
    this.cancel();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #stop(): void {
    this.#pending = undefined;
    this.#first = undefined;
    this.#queue.length = 0;
    this.#queued = 0;
    if (this.#source.readableFlowing === false) this.#source.resume();
  }

  #data(chunk: Buffer): void {
    this.#seen += chunk.byteLength;
    if (this.#error !== undefined || this.#cancelled) return;
    if (this.#seen > this.#options.maxMessageBytes) {
      this.fail(
        new ParleyError('too_large', `The message is larger than ${this.#options.maxMessageBytes} bytes`),
      );
    } else if (this.#held !== undefined) {
      this.#handOver(undefined);
      this.#deliver(chunk);
    } else if (this.#onHead !== undefined) this.#head(chunk);
    else this.#deliver(chunk);
  }

  /** Hands the held header fields over, with the whole body when it is `complete`. */
  #handOver(complete: Buffer | undefined): void {
    const onHead = this.#onHead as OnHead;
    const head = this.#held;
    this.#onHead = undefined;
    this.#held = undefined;
    onHead.head(undefined, head, complete);
  }

  /** Takes what waits in the queue as one buffer. */
  #takeQueued(): Buffer {
    const first = this.#first;
    const queue = this.#queue;
    let taken: Buffer;
    if (queue.length === 0) taken = first ?? NO_BYTES;
    else taken = Buffer.concat(first === undefined ? queue : [first, ...queue]);
    this.#first = undefined;
    queue.length = 0;
    this.#queued = 0;
    return taken;
  }

  #head(chunk: Buffer): void {
    const previous = this.#pending;
    const all = previous === undefined ? chunk : Buffer.concat([previous, chunk]);
    const found = headerEnd(all, previous === undefined ? 0 : previous.byteLength - 3);
    if (found === -1 || found > this.#options.maxHeaderBytes) {
      if (found !== -1 || all.byteLength > this.#options.maxHeaderBytes) {
        this.fail(
          new ParleyError(
            'bad_request',
            `The header block is larger than ${this.#options.maxHeaderBytes} bytes`,
          ),
        );
      } else this.#pending = all;
      return;
    }
    this.#pending = undefined;
    this.#split(all, found);
  }

  /**
   * Takes the header block that ends at `end` (its fields are read only when asked for, but for
   * the content's encoding), queues the rest, and holds the head until more comes.
   */
  #split(all: Buffer, end: number): void {
    const head = new HeaderBlock(all.toString('utf8', 0, end));
    if (!this.#options.raw) {
      const encoding = head.value('content-transfer-encoding')?.trim().toLowerCase();
      if (encoding === 'base64') this.#decoder = new Base64Decoder();
      else if (encoding === 'quoted-printable') this.#decoder = new QuotedPrintableDecoder();
      head.decoded = this.#decoder !== undefined;
    }
    this.#held = head;
    const rest = this.#options.raw ? all : all.subarray(bodyStart(all, end));
    if (rest.byteLength > 0) this.#deliver(rest);
    process.nextTick(MessageReader.#handOverUnlessEnding, this);
  }

  /**
   * Hands the held head over, streaming, unless the writer of the source has ended it: its
   * `end` (or another chunk) then follows in this turn and hands the head over itself.
   */
  static #handOverUnlessEnding(reader: MessageReader): void {
    if (reader.#held === undefined || (reader.#source as { writableEnded?: boolean }).writableEnded === true)
      return;
    reader.#handOver(undefined);
  }

  #deliver(chunk: Buffer): void {
    const bytes = this.#decoder === undefined ? chunk : this.#decoder.write(chunk);
    if (bytes !== undefined) this.#emit(bytes);
  }

  /** Hands bytes to the waiting consumer, or queues them (pausing the source past the mark). */
  #emit(bytes: Buffer): void {
    if (bytes.byteLength === 0) return;
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      this.#resolve = undefined;
      this.#reject = undefined;
      resolve({ done: false, value: bytes });
      return;
    }
    if (this.#first === undefined && this.#queue.length === 0) this.#first = bytes;
    else this.#queue.push(bytes);
    this.#queued += bytes.byteLength;
    // While the head is held the source keeps flowing: its next chunk or end hands it over.
    if (this.#queued > HIGH_WATER_MARK && this.#held === undefined) this.#source.pause();
  }

  #end(): void {
    if (this.#error !== undefined || this.#cancelled) return;
    if (this.#onHead !== undefined && this.#held === undefined) {
      const all = this.#pending ?? NO_BYTES;
      this.#pending = undefined;
      this.#split(all, all.byteLength);
    }
    const last = this.#decoder?.end();
    if (last !== undefined) this.#emit(last);
    this.#ended = true;
    if (this.#held !== undefined) {
      this.#handOver(this.#takeQueued());
      return;
    }
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.(DONE);
  }
}

/** Where the content starts, after the blank line at `end` (or at the end of a message without one). */
function bodyStart(all: Buffer, end: number): number {
  if (end === all.byteLength) return end;
  if (end === 0) return all[0] === LF ? 1 : 2;
  return all[end] === CR ? end + 4 : end + 2;
}

function cancelled(cause: Error): ParleyError {
  return new ParleyError('cancelled', 'The connection closed before the message ended', { cause });
}

/**
 * Where the header block ends: the index of the blank line that ends it (`\r\n\r\n` or
 * `\n\n`, whichever comes first; 0 when the message starts with a blank line), or -1.
 * The search starts at `from`, where earlier chunks had none.
 */
function headerEnd(all: Buffer, from: number): number {
  if (all[0] === LF || (all[0] === CR && all[1] === LF)) return 0;
  let lf = all.indexOf(LF, Math.max(from, 0));
  while (lf !== -1) {
    const next = all[lf + 1];
    if (next === LF) return lf;
    if (next === CR && all[lf + 2] === LF && all[lf - 1] === CR) return lf - 1;
    lf = all.indexOf(LF, lf + 1);
  }
  return -1;
}
