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
 * Reads exactly `size` bytes of a file (see {@link SYNC_IO} and {@link sizedReads}), its size
 * when the command looked, as curl sends a file: a file that ends sooner fails the stream with
 * {@link FileChangedError} rather than ending it: a cut upload to a peer given no size (FTP) is
 * not reported as sent.
 */
export function openSizedFileReader(path: string, chunkBytes: number, size: number): Readable {
  const read = synchronously(sizedReads(path, size).read);
  return createReadStream(path, { highWaterMark: chunkBytes, fs: { ...SYNC_IO, read } });
}

/** The reads of a file sent as the size it had when the command looked (see {@link sizedReads}). */
export interface SizedReads {
  /** True once the file's `size` bytes were read, or it was found to end sooner. */
  readonly done: boolean;
  /**
   * Reads the file's next bytes, as `fs.readSync` does, but no further than `size`: 0 once
   * done. Throws {@link FileChangedError} when the file ends sooner.
   */
  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
}

/**
 * The rule by which a file goes as the size it had when the command looked (the size the peer
 * was told): what it grew by since is left out, and a file that ends sooner (shortened since)
 * is a {@link FileChangedError}, after which nothing more is read. One per transfer; its reads
 * allocate nothing.
 *
 * @param path - the file, for the error
 * @param size - its size when the command looked
 */
export function sizedReads(path: string, size: number): SizedReads {
  let sent = 0;
  return {
    get done() {
      return sent >= size;
    },
    read(fd, buffer, offset, length, position) {
      const wanted = Math.min(length, size - sent);
      if (wanted <= 0) return 0;
      const bytes = readSync(fd, buffer, offset, wanted, position);
      if (bytes === 0) {
        const changed = new FileChangedError(path, sent, size);
        sent = Number.POSITIVE_INFINITY;
        throw changed;
      }
      sent += bytes;
      return bytes;
    },
  };
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
