import * as fs from 'node:fs';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ParleyError } from '@parley/core';
import type { ReadBudget } from './read-budget.js';

/** The fields of an `fs.ReadStream` its constructor sets from its options. */
interface ReadStreamFields {
  readonly fd: number | null;
  readonly start: number | undefined;
  readonly end: number;
}

/**
 * The file stream behind a response body, when the transport may read the file itself: a stream
 * made by `fs.createReadStream` on Node's own `fs`, not read from yet. Anything else is
 * `undefined` and goes through the stream as it is.
 */
export function untouchedFileStream(source: Readable): fs.ReadStream | undefined {
  if (!(source instanceof fs.ReadStream)) return undefined;
  if (source.destroyed || source.readableFlowing !== null || source.readableLength > 0) return undefined;
  if (source.bytesRead > 0) return undefined;
  // A stream given its own `fs` (a virtual file system) must be read through it.
  const fsKey = Object.getOwnPropertySymbols(source).find((key) => key.description === 'kFs');
  if (fsKey === undefined) return undefined;
  const own = (source as unknown as Record<symbol, Partial<typeof fs> | undefined>)[fsKey];
  if (own?.read !== fs.read || own?.close !== fs.close) return undefined;
  return source;
}

/**
 * Sends a file stream's bytes (from its `start`, plus `skip`, to its `end`) down a data
 * connection by reading the file straight into one buffer from `budget`, in two halves (from
 * 256 KiB on): one is read while the other is written, and a half is read into again only once
 * the socket has taken all of it. No chunk is allocated per read, so memory stays flat whatever
 * the file's size. Reads go through the thread pool, except those into a small buffer (many
 * downloads at once): after the first, they are made on the event loop while they stay fast
 * (see {@link SLOW_READ_MS}).
 * Resolves once the last byte is handed to the system and the connection half-closed, with the
 * number of bytes from the stream's `start` to where the copy stopped (`skip` included). The
 * stream (and its descriptor) is destroyed on every path; a failure, a data connection closed
 * early or an abort of `signal` destroys the socket and rejects.
 */
export async function sendFile(
  stream: fs.ReadStream,
  socket: Socket,
  skip: number,
  signal: AbortSignal,
  budget: ReadBudget,
): Promise<number> {
  // The stream's own failures (opening, closing) surface through openedFd and the reads.
  stream.on('error', ignore);
  const buffer = budget.take();
  try {
    const fd = await openedFd(stream);
    const fields = stream as unknown as ReadStreamFields;
    const first = fields.start ?? 0;
    return await new Promise<number>((resolve, reject) => {
      const copy = new FileCopy(fd, buffer, socket, (error) =>
        error === undefined ? resolve(copy.position - first) : reject(error),
      );
      copy.start(first + skip, fields.end, signal);
    });
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    stream.destroy();
    budget.give(buffer);
  }
}

/** Buffers from this size on are used in two halves, one read while the other is written (256 KiB). */
const SPLIT_BYTES = 256 * 1024;

/**
 * Downloads with a whole (small) buffer, the many that run at once, read on the event loop; a
 * read there that takes longer than this (in milliseconds) sends the rest of its download's
 * reads through the thread pool. A read of the page cache (a file read recently, as most
 * downloads are) takes well under a millisecond, while a hand-over to the thread pool costs two
 * thread wake-ups per read: with 100 downloads at once that hand-over was a third of the
 * server's CPU time. A read that waits for the disk is slow, so a file not cached holds the
 * event loop for one read at most before its download goes through the thread pool.
 */
const SLOW_READ_MS = 2;

/**
 * Bytes a download may send in writes the socket takes at once (each reporting back before the
 * event loop polls I/O again) before its next read waits for the loop's check phase (1 MiB).
 */
const UNPOLLED_BYTES = 1024 * 1024;

/** Which half of the buffer: 0 or 1. */
type Half = 0 | 1;

/**
 * The copy loop of {@link sendFile}, driven by callbacks (no promise per chunk): one read at a
 * time, in file order, into whichever half the socket has finished with; into a whole buffer on
 * the event loop once the first read is in and while reads stay fast, else through the thread
 * pool. The first failure (a
 * read or socket error, the data connection closed before the end, an abort) destroys the
 * socket and ends the copy once no read is in flight, so the descriptor is never closed under
 * a read.
 */
class FileCopy {
  readonly #fd: number;
  readonly #socket: Socket;
  readonly #halves: readonly [Buffer, Buffer];
  /** Whether the buffer is used whole, as one half (the other is empty and unused). */
  readonly #whole: boolean;
  readonly #done: (error?: unknown) => void;
  /** Whether each half is being written. */
  readonly #writing: [boolean, boolean] = [false, false];
  #signal: AbortSignal | undefined;
  #position = 0;
  #last = 0;
  #reading = false;
  /** Whether reads are made on the event loop (after the first, until one is slow). */
  #onLoop = false;
  /**
   * Whether every read goes through the thread pool: the buffer is split (a download with a
   * core to spare reads one half there while the loop writes the other), or a read was slow.
   */
  #poolOnly: boolean;
  /** Bytes the socket took at once since the event loop last polled I/O for this copy. */
  #unpolled = 0;
  #eof = false;
  #ending = false;
  #finished = false;
  #failed = false;
  #failure: unknown;

  constructor(fd: number, buffer: Buffer, socket: Socket, done: (error?: unknown) => void) {
    this.#fd = fd;
    this.#socket = socket;
    // A small buffer is read whole: with many downloads at once, their reads and writes overlap anyway.
    this.#whole = buffer.byteLength < SPLIT_BYTES;
    this.#poolOnly = !this.#whole;
    const half = this.#whole ? buffer.byteLength : buffer.byteLength / 2;
    this.#halves = [buffer.subarray(0, half), buffer.subarray(half)];
    this.#done = done;
  }

  /** Where the next read starts: once done, just after the last byte copied. */
  get position(): number {
    return this.#position;
  }

  /** Copies bytes `position` to `last` (inclusive; `Infinity`: to the end of the file). */
  start(position: number, last: number, signal: AbortSignal): void {
    this.#position = position;
    this.#last = last;
    this.#signal = signal;
    if (signal.aborted) {
      this.#fail(ParleyError.from(signal.reason));
      return;
    }
    signal.addEventListener('abort', this.#onAbort, { once: true });
    this.#socket.on('error', this.#fail);
    this.#socket.on('close', this.#onClose);
    this.#next();
  }

  /** Starts the next step: a read into a free half, the end of the socket, or the outcome. */
  #next(): void {
    if (this.#failed) {
      this.#settle();
      return;
    }
    if (this.#reading) return;
    if (this.#eof || this.#position > this.#last) {
      if (this.#writing[0] || this.#writing[1] || this.#ending) return;
      this.#ending = true;
      this.#socket.end(this.#onEnd);
      return;
    }
    const half: Half | undefined = !this.#writing[0] ? 0 : !this.#whole && !this.#writing[1] ? 1 : undefined;
    if (half === undefined) return;
    const target = this.#halves[half];
    const length = Math.min(target.byteLength, this.#last - this.#position + 1);
    if (this.#onLoop) {
      this.#readOnLoop(half, target, length);
      return;
    }
    this.#reading = true;
    fs.read(this.#fd, target, 0, length, this.#position, half === 0 ? this.#onRead0 : this.#onRead1);
  }

  /** Reads into `target` on the event loop, timing the read: a slow one ends reads on the loop. */
  #readOnLoop(half: Half, target: Buffer, length: number): void {
    const started = performance.now();
    let read = 0;
    let failure: Error | null = null;
    try {
      read = fs.readSync(this.#fd, target, 0, length, this.#position);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    if (performance.now() - started > SLOW_READ_MS) {
      this.#poolOnly = true;
      this.#onLoop = false;
    }
    this.#onRead(half, failure, read);
  }

  #onRead(half: Half, error: Error | null, read: number): void {
    this.#reading = false;
    if (!this.#poolOnly) this.#onLoop = true;
    if (error !== null) this.#fail(error);
    if (this.#failed) {
      this.#settle();
      return;
    }
    if (read === 0) {
      this.#eof = true;
      this.#next();
      return;
    }
    this.#position += read;
    const target = this.#halves[half];
    this.#writing[half] = true;
    this.#socket.write(
      read === target.byteLength ? target : target.subarray(0, read),
      half === 0 ? this.#onWritten0 : this.#onWritten1,
    );
    // Read on the loop and nothing left queued: the system took the bytes at once, and the
    // write reports back without the event loop polling I/O in between.
    if (this.#onLoop && this.#socket.writableLength === 0) this.#unpolled += read;
    else this.#unpolled = 0;
    this.#next();
  }

  #onWritten(half: Half, error: Error | null | undefined): void {
    this.#writing[half] = false;
    if (error !== undefined && error !== null) this.#fail(error);
    // A write the socket took at once reports back before any I/O is polled: past
    // UNPOLLED_BYTES of those, the next read waits for the check phase, so a client that keeps
    // up cannot keep the event loop to itself.
    if (this.#unpolled >= UNPOLLED_BYTES && !this.#failed) {
      this.#unpolled = 0;
      setImmediate(this.#resume);
    } else this.#next();
  }

  readonly #resume = (): void => this.#next();
  readonly #onRead0 = (error: Error | null, read: number): void => this.#onRead(0, error, read);
  readonly #onRead1 = (error: Error | null, read: number): void => this.#onRead(1, error, read);
  readonly #onWritten0 = (error?: Error | null): void => this.#onWritten(0, error);
  readonly #onWritten1 = (error?: Error | null): void => this.#onWritten(1, error);
  readonly #onEnd = (error?: Error | null): void => {
    if (error !== undefined && error !== null) this.#fail(error);
    this.#settle();
  };
  readonly #onAbort = (): void => this.#fail(ParleyError.from(this.#signal?.reason));
  readonly #onClose = (): void => {
    if (!this.#socket.writableFinished)
      this.#fail(new ParleyError('cancelled', 'The data connection closed early'));
  };

  /** Records the first failure and destroys the socket, which settles the writes under way. */
  readonly #fail = (error: unknown): void => {
    if (this.#failed) return;
    this.#failed = true;
    this.#failure = error;
    this.#socket.destroy();
    this.#settle();
  };

  /** Reports the outcome once: after the end, or after a failure once no read is in flight. */
  #settle(): void {
    if (this.#finished || this.#reading) return;
    if (!this.#failed && !this.#socket.writableFinished) return;
    this.#finished = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#socket.off('error', this.#fail);
    this.#socket.off('close', this.#onClose);
    this.#done(this.#failed ? this.#failure : undefined);
  }
}

function ignore(): void {}

/** Waits for the stream's file to be open and returns its descriptor. */
async function openedFd(stream: fs.ReadStream): Promise<number> {
  if (stream.pending) {
    await new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        stream.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        stream.off('ready', onReady);
        reject(stream.errored ?? new ParleyError('cancelled', 'The file stream closed before it opened'));
      };
      stream.once('ready', onReady);
      stream.once('close', onClose);
    });
  }
  const fd = (stream as unknown as ReadStreamFields).fd;
  if (typeof fd !== 'number') throw new ParleyError('internal', 'The file stream has no open descriptor');
  return fd;
}
