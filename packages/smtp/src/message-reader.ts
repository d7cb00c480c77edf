import { Readable } from 'node:stream';
import { type HeaderMap, ParleyError } from '@parley/core';
import { Base64Decoder } from './base64-decoder.js';
import { parseHeaderBlock } from './mail-headers.js';

/** Options of a {@link MessageReader}. */
export interface MessageReaderOptions {
  /** Largest message, in bytes: past it the body fails with `too_large`. */
  readonly maxMessageBytes: number;
  /** Largest header block, in bytes: past it the head fails with `bad_request`. */
  readonly maxHeaderBytes: number;
  /** Keep the header block in the body and the content undecoded. */
  readonly raw: boolean;
}

/**
 * Called once with the top-level header fields (the body then streams from the reader), or
 * with the error that ended the message before its header block did.
 */
export type OnHead = (error: Error | undefined, headers: HeaderMap | undefined) => void;

const LF = 0x0a;
const CR = 0x0d;
const noop = (): void => undefined;

/**
 * Reads one received message in a single stage: counts its size (the body fails with
 * `too_large` past the limit), splits off the header block (handed to `onHead`), undoes a
 * `base64` content transfer encoding (and drops its header) unless `raw`, and streams the rest
 * as itself, a Readable with backpressure on the source. Without `onHead` the whole message
 * streams, only counted.
 *
 * The source keeps flowing once the reader is destroyed or failed, so it always ends.
 */
export class MessageReader extends Readable {
  readonly #source: Readable;
  readonly #options: MessageReaderOptions;
  #onHead: OnHead | undefined;
  #pending: Buffer | undefined;
  #decoder: Base64Decoder | undefined;
  #seen = 0;

  constructor(source: Readable, options: MessageReaderOptions, onHead?: OnHead) {
    super();
    this.#source = source;
    this.#options = options;
    this.#onHead = onHead;
    // Errors reach readers through their iterators and listeners; one nobody reads is dropped.
    this.on('error', noop);
    source.on('data', (chunk: Buffer) => this.#data(chunk));
    source.once('end', () => this.#end());
    source.once('error', (error: Error) => this.fail(cancelled(error)));
  }

  /** Bytes of the message received so far. */
  get received(): number {
    return this.#seen;
  }

  /** Ends the message with an error: the head's callback gets it if it is still waiting, else the body. */
  fail(error: Error): void {
    const onHead = this.#onHead;
    if (onHead !== undefined) {
      this.#onHead = undefined;
      this.destroy();
      onHead(error, undefined);
    } else if (!this.destroyed) this.destroy(error);
  }

  override _read(): void {
    if (this.#source.readableFlowing === false) this.#source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#pending = undefined;
    if (this.#source.readableFlowing === false) this.#source.resume();
    callback(error);
  }

  #data(chunk: Buffer): void {
    this.#seen += chunk.byteLength;
    if (this.destroyed) return;
    if (this.#seen > this.#options.maxMessageBytes) {
      this.fail(
        new ParleyError('too_large', `The message is larger than ${this.#options.maxMessageBytes} bytes`),
      );
    } else if (this.#onHead !== undefined) this.#head(chunk);
    else this.#deliver(chunk);
  }

  #head(chunk: Buffer): void {
    const previous = this.#pending;
    const all = previous === undefined ? chunk : Buffer.concat([previous, chunk]);
    const found = headerEnd(all, previous === undefined ? 0 : previous.byteLength - 3);
    if (found === -1) {
      if (all.byteLength > this.#options.maxHeaderBytes) {
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

  /** Parses the header block that ends at `end`, hands it over, then streams the rest. */
  #split(all: Buffer, end: number): void {
    const headers = parseHeaderBlock(all.toString('utf8', 0, end));
    if (!this.#options.raw) {
      const encoding = headers.get('content-transfer-encoding');
      if (encoding !== undefined && encoding.trim().toLowerCase() === 'base64') {
        headers.delete('content-transfer-encoding');
        this.#decoder = new Base64Decoder();
      }
    }
    const onHead = this.#onHead as OnHead;
    this.#onHead = undefined;
    const rest = this.#options.raw ? all : all.subarray(bodyStart(all, end));
    if (rest.byteLength > 0) this.#deliver(rest);
    onHead(undefined, headers);
  }

  #deliver(chunk: Buffer): void {
    const bytes = this.#decoder === undefined ? chunk : this.#decoder.write(chunk);
    if (bytes !== undefined && !this.push(bytes)) this.#source.pause();
  }

  #end(): void {
    if (this.destroyed) return;
    if (this.#onHead !== undefined) {
      const all = this.#pending ?? Buffer.alloc(0);
      this.#pending = undefined;
      this.#split(all, all.byteLength);
    }
    if (this.destroyed) return;
    const last = this.#decoder?.end();
    if (last !== undefined) this.push(last);
    this.push(null);
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
