import { close, createReadStream, createWriteStream, open, readSync, writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

type Done<T> = (error: NodeJS.ErrnoException | null, bytes: number, buffer: T) => void;

/** The shape of `fs.read` and `fs.write` as Node's file streams call them. */
type ChunkCall = (
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number | null,
  done: Done<Uint8Array>,
) => void;

/**
 * Node's file streams with their reads and writes done on the main thread, as curl does:
 * each read or write of a chunk is one system call instead of a trip through libuv's thread
 * pool and back, which on a busy machine waits twice for the scheduler. Chunks are at most
 * 64 KiB, so one call holds the event loop (timers, the progress meter) for a moment only.
 * Opening and closing stay asynchronous; errors are reported as by `fs.createReadStream` and
 * `fs.createWriteStream`.
 */
const SYNC_IO = {
  open,
  close,
  read: synchronously(readSync),
  write: synchronously(writeSync),
};

/** An `fs.read`/`fs.write` shaped function that does its work with the given synchronous call. */
function synchronously(
  call: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null) => number,
): ChunkCall {
  return (fd, buffer, offset, length, position, done) => {
    let bytes: number;
    try {
      bytes = call(fd, buffer, offset, length, position);
    } catch (error) {
      done(error as NodeJS.ErrnoException, 0, buffer);
      return;
    }
    done(null, bytes, buffer);
  };
}

/**
 * Reads exactly `size` bytes of a file (see {@link SYNC_IO}), its size when the command looked,
 * as curl sends a file: what it grew by since is left out (the peer was told `size`), and a file
 * that ends sooner (shortened since) fails the stream with {@link FileChangedError} rather than
 * ending it: a cut upload to a peer given no size (FTP) is not reported as sent.
 */
export function openSizedFileReader(path: string, chunkBytes: number, size: number): Readable {
  let sent = 0;
  const read: ChunkCall = (fd, buffer, offset, length, position, done) => {
    const wanted = Math.min(length, size - sent);
    if (wanted <= 0) {
      done(null, 0, buffer);
      return;
    }
    SYNC_IO.read(fd, buffer, offset, wanted, position, (error, bytes, filled) => {
      if (error === null && bytes === 0) done(new FileChangedError(path, sent, size), 0, filled);
      else {
        sent += bytes;
        done(error, bytes, filled);
      }
    });
  };
  return createReadStream(path, { highWaterMark: chunkBytes, fs: { ...SYNC_IO, read } });
}

/** A file read for sending that ended before the size it had when the command looked at it. */
export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';
  /**
   * @param path - the file
   * @param read - the bytes it gave
   * @param size - the bytes it had
   */
  constructor(
    readonly path: string,
    readonly read: number,
    readonly size: number,
  ) {
    super(`${path} changed while it was sent: it ended after ${read} of its ${size} bytes`);
  }
}

/** Writes a file, created or truncated, or with `append` added to its end (see {@link SYNC_IO}). */
export function openFileWriter(path: string, chunkBytes: number, append = false): Writable {
  return createWriteStream(path, { highWaterMark: chunkBytes, fs: SYNC_IO, flags: append ? 'a' : 'w' });
}
