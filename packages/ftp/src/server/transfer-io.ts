import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { Body, ParleyError, type Response } from '@parley/core';
import { sendFile, untouchedFileStream } from './file-send.js';
import type { ReadBudget } from './read-budget.js';
import { UploadSource } from './upload-source.js';

/**
 * Sends a response body down a data connection, skipping `offset` bytes unless already done. A
 * body streamed from `fs.createReadStream` is read straight into a buffer from `budget` (see
 * {@link sendFile}); any other streamed body is copied chunk by chunk. Resolves with the number
 * of bytes the body had, those skipped included (fewer than announced: it ended early).
 */
export async function sendBody(
  response: Response,
  socket: Socket,
  offset: number,
  signal: AbortSignal,
  budget: ReadBudget,
): Promise<number> {
  const skip = offset > 0 && !response.headers.has('content-range') ? offset : 0;
  const buffered = response.body.buffered;
  if (buffered !== undefined) {
    await response.body.cancel();
    await writeAll(socket, buffered.subarray(Math.min(skip, buffered.byteLength)), signal);
    return buffered.byteLength;
  }
  const source = response.body.stream();
  const file = untouchedFileStream(source);
  if (file !== undefined) return sendFile(file, socket, skip, signal, budget);
  return pump(source, socket, skip, signal);
}

/** Passes the chunks of `source` on, adding up their bytes in `tally.bytes`. */
export async function* counted(
  source: AsyncIterable<Uint8Array>,
  tally: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    tally.bytes += chunk.byteLength;
    yield chunk;
  }
}

/** A listener of one event of a stream. */
type Listener = readonly [Readable | Socket, string, (...args: unknown[]) => void];

/**
 * Copies a stream to a data connection chunk by chunk, pausing the source while the socket's
 * buffer is full, and resolves once the last byte is handed to the system and the connection
 * half-closed (not when the source has released its resources: a file's descriptor may close
 * later), with the number of bytes the source gave. Any failure destroys both ends.
 */
function pump(source: Readable, socket: Socket, skip: number, signal: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let left = skip;
    let total = 0;
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      for (const [emitter, event, listener] of listeners) emitter.off(event, listener);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve(total);
        return;
      }
      source.destroy();
      socket.destroy();
      reject(error);
    };
    const fail = (error: unknown): void => settle(error);
    const onData = (chunk: Buffer | string): void => {
      let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.byteLength;
      if (left > 0) {
        if (bytes.byteLength <= left) {
          left -= bytes.byteLength;
          return;
        }
        bytes = bytes.subarray(left);
        left = 0;
      }
      if (!socket.write(bytes)) source.pause();
    };
    const onDrain = (): void => {
      source.resume();
    };
    const onEnd = (): void => {
      socket.end((error?: Error | null) => settle(error ?? undefined));
    };
    const onClose = (): void => {
      if (!socket.writableFinished) settle(new ParleyError('cancelled', 'The data connection closed early'));
    };
    const onSourceClose = (): void => {
      if (!source.readableEnded) settle(new ParleyError('cancelled', 'The response body ended early'));
    };
    const onAbort = (): void => settle(ParleyError.from(signal.reason));
    // Added in this order ('data' last: it starts the flow), all removed when settled.
    const listeners: readonly Listener[] = [
      [source, 'error', fail],
      [source, 'end', onEnd],
      [source, 'close', onSourceClose],
      [socket, 'error', fail],
      [socket, 'close', onClose],
      [socket, 'drain', onDrain],
      [source, 'data', onData as Listener[2]],
    ];
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    for (const [emitter, event, listener] of listeners) emitter.on(event, listener);
  });
}

/** Writes bytes to a data connection and ends it, resolving once they are flushed. */
export function writeAll(socket: Socket, bytes: Uint8Array | string, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown): void => {
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onClose = (): void => done(new ParleyError('cancelled', 'The data connection closed early'));
    const onAbort = (): void => {
      socket.destroy();
      done(ParleyError.from(signal.reason));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('close', onClose);
    socket.end(bytes, () => done());
  });
}

/** An upload: the request body read from a data connection, and what happened to it. */
export interface Upload {
  /** The body handed to the handler. */
  readonly body: Body;
  /** Whether the upload went over the limit. */
  readonly exceeded: () => boolean;
}

/**
 * Turns a data connection into a request body, refusing more than `limit` bytes with
 * `too_large` (see {@link UploadSource}). The body ends (and the handler may commit the upload)
 * only once the data connection has ended cleanly AND `confirm` resolves; when `confirm` rejects
 * (the control connection went away: the client died mid-transfer), the body fails with that
 * error instead, so a handler writing to a temporary file discards it. An abort of `signal`
 * fails it too.
 */
export function uploadBody(
  socket: Socket,
  limit: number,
  signal: AbortSignal,
  confirm: () => Promise<void>,
): Upload {
  const source = new UploadSource(socket, limit, confirm);
  // An abort (ABOR, the close deadline) fails the body at once, even while the client sends on.
  const onAbort = (): void => source.fail(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  source.once('close', () => signal.removeEventListener('abort', onAbort));
  return { body: Body.from(source), exceeded: () => source.exceeded };
}
