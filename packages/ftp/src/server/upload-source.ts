import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { type LentChunkConsumer, lendChunks, ParleyError } from '@parley/core';
import { type DataReads, dataReadsOf } from './data-reads.js';

/**
 * Bytes an upload gathers before handing them on (256 KiB). The socket's chunks are handed on
 * as they are, never copied (a copy costs a fresh buffer and its page faults for every byte),
 * but in bursts: a handler writing to a stream then finds them queued together and writes them
 * in one call (`writev`), where each call costs a hand-over to the thread pool whatever its size.
 */
const GATHER_BYTES = 256 * 1024;

/**
 * The bytes of an upload's data connection as a Readable, refusing more than `limit` bytes
 * with `too_large`. What the socket delivers in one turn of the event loop (or up to 256 KiB of
 * it) is pushed at once, chunk by chunk, without copying; the socket pauses while the reader is
 * behind. The stream ends only once the data connection has ended cleanly and `confirm`
 * resolves; it fails with `confirm`'s error, a socket error, a data connection closed before its
 * end, or `fail`.
 *
 * On a plain data connection (see {@link DataReads}) the reads can also be lent instead
 * (`Body.lend`): each read of one reused buffer goes straight to the consumer, so an upload
 * allocates nothing per read.
 */
export class UploadSource extends Readable {
  /** Lends every remaining read to `consume` (see `Body.lend`); only on a plain data connection. */
  readonly [lendChunks]?: (consume: LentChunkConsumer, received?: () => void) => Promise<void>;
  readonly #socket: Socket;
  readonly #reads: DataReads | undefined;
  #lending:
    | { resolve: () => void; reject: (error: Error) => void; received: (() => void) | undefined }
    | undefined;
  readonly #limit: number;
  readonly #confirm: () => Promise<void>;
  #gathered: Buffer[] = [];
  #gatheredBytes = 0;
  #total = 0;
  #flushScheduled = false;
  #exceeded = false;

  constructor(socket: Socket, limit: number, confirm: () => Promise<void>) {
    super();
    this.#socket = socket;
    this.#limit = limit;
    this.#confirm = confirm;
    const reads = dataReadsOf(socket);
    this.#reads = reads;
    if (reads === undefined) socket.on('data', this.#onData);
    else {
      reads.own(this.#onData);
      this[lendChunks] = (consume, received) => this.#lend(reads, consume, received);
    }
    socket.once('end', this.#onEnd);
    socket.once('error', this.#onError);
    socket.once('close', this.#onClose);
    // A reader learns of a failure through its own read; one that already stopped reading (a
    // handler that answered early) must not turn the failure into an uncaught exception.
    this.on('error', ignore);
  }

  /** Whether the upload went over the limit. */
  get exceeded(): boolean {
    return this.#exceeded;
  }

  /** Fails the stream at once (an abort), even while the client sends on. */
  fail(error: unknown): void {
    this.destroy(ParleyError.from(error));
  }

  override _read(): void {
    if (this.#socket.isPaused()) this.#socket.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const socket = this.#socket;
    this.#reads?.own(dropRead);
    this.#lending?.reject(error ?? new ParleyError('cancelled', 'The upload was abandoned'));
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
    this.#gathered = [];
    callback(error);
  }

  #lend(reads: DataReads, consume: LentChunkConsumer, received: (() => void) | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#lending = { resolve, reject, received };
      reads.lend((chunk) => {
        if (!this.#counted(chunk)) return false;
        try {
          consume(chunk);
        } catch (error) {
          this.destroy(ParleyError.from(error));
          return false;
        }
        return true;
      });
      this.#socket.resume();
    });
  }

  /** Adds a read to the total; false (the stream destroyed) when it goes over the limit. */
  #counted(chunk: Buffer): boolean {
    this.#total += chunk.byteLength;
    if (this.#total <= this.#limit) return true;
    this.#exceeded = true;
    this.destroy(new ParleyError('too_large', `The upload is larger than the limit of ${this.#limit} bytes`));
    return false;
  }

  readonly #onData = (chunk: Buffer): undefined => {
    if (!this.#counted(chunk)) return;
    this.#gathered.push(chunk);
    this.#gatheredBytes += chunk.byteLength;
    if (this.#gatheredBytes >= GATHER_BYTES) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#scheduledFlush);
    }
  };

  readonly #scheduledFlush = (): void => {
    this.#flushScheduled = false;
    this.#flush();
  };

  /** Pushes what was gathered, chunk by chunk; pauses the socket when the reader is behind. */
  #flush(): void {
    if (this.#gatheredBytes === 0 || this.destroyed) return;
    const chunks = this.#gathered;
    this.#gathered = [];
    this.#gatheredBytes = 0;
    let more = true;
    for (const chunk of chunks) more = this.push(chunk);
    if (!more) this.#socket.pause();
  }

  readonly #onEnd = (): void => {
    this.#flush();
    if (!this.#told()) return;
    this.#confirm().then(
      () => {
        if (this.destroyed) return;
        const lending = this.#lending;
        if (lending === undefined) this.push(null);
        else {
          this.#lending = undefined;
          lending.resolve();
          this.destroy();
        }
      },
      (error: unknown) => this.destroy(ParleyError.from(error)),
    );
  };

  /**
   * Tells a lending reader that every byte is in (see `Body.lend`), before the end is confirmed,
   * so it can start finishing meanwhile; false (the stream destroyed) when that throws.
   */
  #told(): boolean {
    const received = this.#lending?.received;
    if (received === undefined) return true;
    try {
      received();
      return true;
    } catch (error) {
      this.destroy(ParleyError.from(error));
      return false;
    }
  }

  readonly #onError = (error: Error): void => {
    this.destroy(error);
  };

  readonly #onClose = (): void => {
    if (!this.#socket.readableEnded)
      this.destroy(new ParleyError('cancelled', 'The data connection closed before the upload ended'));
  };
}

function ignore(): void {}

/** Drops a read that arrives after the upload was given up. */
function dropRead(): boolean {
  return true;
}
