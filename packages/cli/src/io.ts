import { createReadStream, createWriteStream, statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Body } from '@parley/core';
import type { BodySource } from './args.js';
import { CliError, EXIT } from './exit.js';

/** A request body ready to send, and its size when known. */
export interface Input {
  /** The body. */
  readonly body: Body;
  /** Its size in bytes, when known (for the progress meter's ETA). */
  readonly size: number | undefined;
}

/**
 * Opens the body of `-d`/`-T`: text as is, a file streamed (a missing one is a usage error,
 * exit 2), `-` from stdin. `onChunk` sees every chunk sent (progress meter, trace).
 */
export function openInput(
  source: BodySource,
  stdin: NodeJS.ReadableStream,
  onChunk: ((chunk: Uint8Array) => void) | undefined,
): Input {
  if ('text' in source) return { body: Body.from(source.text), size: Buffer.byteLength(source.text) };
  let stream: Readable | NodeJS.ReadableStream;
  let size: number | undefined;
  if (source.file === '-') {
    stream = stdin;
  } else {
    try {
      const stat = statSync(source.file);
      if (!stat.isFile()) throw new Error('not a regular file');
      size = stat.size;
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new CliError(EXIT.usage, `Cannot read ${source.file}: ${reason}`);
    }
    stream = createReadStream(source.file, { highWaterMark: 256 * 1024 });
  }
  const chunks = stream as AsyncIterable<Uint8Array>;
  return { body: Body.from(onChunk === undefined ? chunks : counted(chunks, onChunk), size), size };
}

async function* counted(
  source: AsyncIterable<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    onChunk(chunk);
    yield chunk;
  }
}

/** Where a body is written: stdout or a file of `-o`. */
export interface Output {
  /** The stream. */
  readonly stream: Writable;
  /** Ends a file (waits for its last write); leaves stdout open. A failure is exit 23. */
  close(): Promise<void>;
}

/** Opens the output of `-o FILE` (created when the first byte arrives would be nicer; it is made now). */
export function openOutput(file: string | undefined, stdout: Writable): Output {
  if (file === undefined) return { stream: stdout, close: async () => {} };
  const stream = createWriteStream(file);
  return {
    stream,
    close: () =>
      new Promise((resolve, reject) => {
        if (stream.errored) return reject(writeError(stream.errored));
        stream.once('error', (error) => reject(writeError(error)));
        stream.end(() => resolve());
      }),
  };
}

/**
 * Writes every chunk of a body to `out`, with backpressure. A failing output (a full disk, a
 * reader of stdout that went away) stops the body and throws exit 23.
 */
export async function writeBody(
  body: AsyncIterable<Uint8Array>,
  out: Writable,
  onChunk: ((chunk: Uint8Array) => void) | undefined,
): Promise<void> {
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const onError = (error: Error): void => {
    failed = error;
    wake?.();
  };
  out.on('error', onError);
  try {
    for await (const chunk of body) {
      if (failed !== undefined || out.destroyed) throw writeError(failed);
      onChunk?.(chunk);
      if (!out.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            out.off('drain', done);
            wake = undefined;
            resolve();
          };
          wake = done;
          out.once('drain', done);
        });
      }
    }
    if (failed !== undefined) throw writeError(failed);
  } finally {
    out.off('error', onError);
    // A late EPIPE must not become an uncaught error.
    if (failed !== undefined) out.on('error', () => {});
  }
}

function writeError(error: Error | null | undefined): CliError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE') return new CliError(EXIT.writeError, '');
  return new CliError(EXIT.writeError, `Cannot write the output: ${error?.message ?? 'closed'}`);
}
