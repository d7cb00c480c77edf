import { once } from 'node:events';
import { closeSync, createReadStream, openSync, statSync, type WriteStream, writeSync } from 'node:fs';
import { pipeline, type Readable, Transform, type Writable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import { Body, type ChunkFiller, fillChunks } from '@parley/core';
import type { BodySource } from './args.js';
import { CliError, EXIT } from './exit.js';
import { FileChangedError, openFileWriter, openSizedFileReader, sizedReads } from './file-streams.js';

/** A request body ready to send, and its size when known. */
export interface Input {
  /** The body. */
  readonly body: Body;
  /** Its size in bytes, when known (for the progress meter's ETA). */
  readonly size: number | undefined;
  /**
   * Exit 26 when the file ended before its size (it shrank while it was sent), whatever the
   * transport made of the cut body; undefined otherwise.
   */
  failure(): CliError | undefined;
}

/**
 * Opens the body of `-d`/`-T`: text as is, a file streamed (a missing one or a directory cannot
 * be read, exit 26, as curl's `-T`; a FIFO or a device streams as it comes), `-` from stdin. `onChunk` sees every chunk sent (progress meter, trace).
 * With `onFilled`, a regular file can also be read into a transport's own buffers
 * (`Body.filler`), each read counted by `onFilled` instead: only when nothing keeps chunks.
 */
export function openInput(
  source: BodySource,
  stdin: NodeJS.ReadableStream,
  onChunk: ((chunk: Uint8Array) => void) | undefined,
  onFilled?: ((bytes: number) => void) | undefined,
): Input {
  if ('text' in source)
    return { body: Body.from(source.text), size: Buffer.byteLength(source.text), failure: () => undefined };
  let changed: FileChangedError | undefined;
  const onChanged = (error: FileChangedError): void => {
    changed ??= error;
  };
  let stream: Readable | NodeJS.ReadableStream;
  let size: number | undefined;
  if (source.file === '-') {
    stream = stdin;
  } else {
    let regular: boolean;
    try {
      const stat = statSync(source.file);
      if (stat.isDirectory()) throw new Error('a directory');
      regular = stat.isFile();
      if (regular) size = stat.size;
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      // curl's "Failed to open/read local data" (26), before anything is sent.
      throw new CliError(EXIT.readError, `Cannot read ${source.file}: ${reason}`);
    }
    // A regular file goes as the size it has now (the size the peer is told); a FIFO or a device
    // is read as it comes, as stdin is, without blocking the event loop on it.
    stream =
      size !== undefined
        ? openSizedFileReader(source.file, CHUNK_BYTES, size).on('error', (error) => {
            if (error instanceof FileChangedError) onChanged(error);
          })
        : createReadStream(source.file, { highWaterMark: CHUNK_BYTES });
  }
  // A Node stream all the way: transports pipe it (no async iteration, no re-chunking copies).
  const readable = onChunk === undefined ? (stream as Readable) : counted(stream as Readable, onChunk);
  if (size !== undefined && onFilled !== undefined) {
    const path = source.file;
    const fileSize = size;
    Object.assign(readable, {
      [fillChunks]: () => fileFiller(path, fileSize, readable, onFilled, onChanged),
    });
  }
  return {
    body: Body.from(readable, size),
    size,
    failure: () => (changed === undefined ? undefined : new CliError(EXIT.readError, changed.message)),
  };
}

/**
 * Reads a file's `size` bytes into the buffers it is given, on the main thread, by the same rule
 * as {@link openSizedFileReader} ({@link sizedReads}); `stream`, the file's stream, is closed
 * unread. The file is opened at the first read and closed at its end.
 */
function fileFiller(
  path: string,
  size: number,
  stream: Readable,
  onFilled: (bytes: number) => void,
  onChanged: (error: FileChangedError) => void,
): ChunkFiller {
  stream.destroy();
  const reads = sizedReads(path, size);
  let fd: number | undefined;
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return (buffer) => {
    if (reads.done) {
      close();
      return 0;
    }
    fd ??= openSync(path, 'r');
    let bytes: number;
    try {
      bytes = reads.read(fd, buffer, 0, buffer.byteLength, null);
    } catch (error) {
      if (error instanceof FileChangedError) {
        close();
        onChanged(error);
      }
      throw error;
    }
    onFilled(bytes);
    return bytes;
  };
}

/**
 * The size of the reads of a file to send, and of the stream buffers on the way. 64 KiB, as a
 * socket reads: larger buffers are mapped and unmapped one by one by the C allocator (page faults
 * on every read) or fragment its heap; these are reused from it.
 */
const CHUNK_BYTES = 64 * 1024;

/** `source` through a transform that sees each chunk; an error of either ends the other. */
function counted(source: Readable, onChunk: (chunk: Uint8Array) => void): Readable {
  const counter = passing(onChunk);
  pipeline(source, counter, () => {});
  return counter;
}

/** Where a body is written: stdout or a file of `-o`. */
export interface Output {
  /** The stream. */
  readonly stream: Writable;
  /** Ends a file (waits for its last write); leaves stdout open. A failure is exit 23. */
  close(): Promise<void>;
  /**
   * A file's synchronous writer, once the file is open (failing to open it is exit 23): it writes
   * a chunk before returning, after what the stream still holds, so it can take chunks a body
   * lends. `undefined` for stdout.
   */
  readonly writer: (() => Promise<(chunk: Uint8Array) => void>) | undefined;
}

/** Opens the output of `-o FILE` (created when the first byte arrives would be nicer; it is made now). */
export function openOutput(file: string | undefined, stdout: Writable, append = false): Output {
  if (file === undefined) return { stream: stdout, close: async () => {}, writer: undefined };
  const stream = openFileWriter(file, CHUNK_BYTES, append) as WriteStream;
  return {
    stream,
    close: () =>
      new Promise((resolve, reject) => {
        if (stream.errored) return reject(writeError(stream.errored));
        stream.once('error', (error) => reject(writeError(error)));
        // The callback also gets a failure to open the file (a folder, a missing parent), which
        // can come after every byte was taken in.
        stream.end((error?: Error | null) => (error ? reject(writeError(error)) : resolve()));
      }),
    writer: async () => {
      await opened(stream);
      const { fd } = stream as unknown as { fd: number };
      return (chunk) => {
        // Behind writes the stream still holds (`-i`'s head before the file was open): queued too.
        if (stream.writableLength > 0) stream.write(Buffer.from(chunk));
        else writeWhole(fd, chunk);
      };
    },
  };
}

/** Resolves once a file stream's file is open; rejects with exit 23 when it cannot be. */
function opened(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.errored) return reject(writeError(stream.errored));
    if (!stream.pending) return resolve();
    const ready = (): void => {
      stream.off('error', failed);
      resolve();
    };
    const failed = (error: Error): void => {
      stream.off('ready', ready);
      reject(writeError(error));
    };
    stream.once('ready', ready);
    stream.once('error', failed);
  });
}

function writeWhole(fd: number, chunk: Uint8Array): void {
  for (let done = 0; done < chunk.byteLength; ) {
    done += writeSync(fd, chunk, done, chunk.byteLength - done);
  }
}

/**
 * Writes every chunk of a body with `write` (synchronous) as the body lends them, when it can
 * (see `Body.lend`): no chunk outlives the read that brought it. Returns `undefined`, the body
 * left unread, when it cannot. A failing `write` stops the body and throws exit 23.
 */
export function lendBody(
  body: Body,
  write: (chunk: Uint8Array) => void,
  onChunk: ((chunk: Uint8Array) => void) | undefined,
): Promise<void> | undefined {
  let failed: unknown;
  const lending = body.lend((chunk) => {
    onChunk?.(chunk);
    try {
      write(chunk);
    } catch (error) {
      failed = error;
      throw error;
    }
  });
  return lending?.catch((error: unknown) => {
    if (failed !== undefined) throw writeError(failed as Error);
    throw error;
  });
}

/**
 * Writes every chunk of a body to `out` by piping its stream (chunks as they arrive, with
 * backpressure, no copies). A failing output (a full disk, a reader of stdout that went away)
 * stops the body and throws exit 23; a failing body throws its own error. An abort of `signal`
 * ends the pipe too, whether or not the output is taking chunks.
 */
export async function writeBody(
  body: Body,
  out: Writable,
  onChunk: ((chunk: Uint8Array) => void) | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const source = body.stream();
  let failed: Error | undefined;
  const onError = (error: Error): void => {
    failed ??= error;
  };
  out.on('error', onError);
  // `onChunk` listens beside the pipe, which it precedes: it sees each chunk as the pipe reads
  // it, with no stream stage of its own (a Transform costs a write and a push per chunk).
  if (onChunk !== undefined) source.on('data', onChunk);
  try {
    // `end: false`: stdout stays open; a file is ended by its Output.
    // `signal` (--max-time) ends the pipe even while the output is not taking more.
    await pipe(source, out, signal === undefined ? { end: false } : { end: false, signal });
  } catch (error) {
    if (failed !== undefined || out.destroyed) throw writeError(failed);
    throw error;
  } finally {
    if (onChunk !== undefined) source.off('data', onChunk);
    out.off('error', onError);
    // A late EPIPE must not become an uncaught error.
    if (failed !== undefined) out.on('error', () => {});
  }
}

/**
 * Writes `chunk` to `out`, then waits while `out` holds more than it wants (its reader is slower):
 * what comes faster than it is read waits upstream, where its limits apply, instead of piling up
 * in `out`'s memory. A failing output (a reader that went away) is exit 23, as in {@link writeBody};
 * an abort of `signal` ends the wait with its reason.
 */
export async function writeOut(
  out: Writable,
  chunk: string | Uint8Array,
  signal: AbortSignal,
): Promise<void> {
  if (out.destroyed) throw writeError(out.errored);
  if (out.write(chunk)) return;
  const closed = new AbortController();
  const onClose = (): void => closed.abort();
  out.once('close', onClose);
  try {
    await once(out, 'drain', { signal: AbortSignal.any([closed.signal, signal]) });
  } catch (error) {
    // Stopped (interrupted, --max-time) while waiting: the caller's signal says why.
    if (signal.aborted) throw signal.reason;
    throw writeError(out.errored ?? (error as Error));
  } finally {
    out.off('close', onClose);
  }
}

/** A transform that lets every chunk through, showing it to `onChunk`. */
function passing(onChunk: (chunk: Uint8Array) => void): Transform {
  return new Transform({
    highWaterMark: CHUNK_BYTES,
    transform(chunk: Uint8Array, _encoding, done) {
      onChunk(chunk);
      done(null, chunk);
    },
  });
}

function writeError(error: Error | null | undefined): CliError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return new CliError(EXIT.writeError, '');
  return new CliError(EXIT.writeError, `Cannot write the output: ${error?.message ?? 'closed'}`);
}
