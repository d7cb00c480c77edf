import type { Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, ParleyError, type Response } from '@parley/core';

/** Sends a response body down a data connection, skipping `offset` bytes unless already done. */
export async function sendBody(
  response: Response,
  socket: Socket,
  offset: number,
  signal: AbortSignal,
): Promise<void> {
  const skip = offset > 0 && !response.headers.has('content-range') ? offset : 0;
  const buffered = response.body.buffered;
  if (buffered !== undefined) {
    await response.body.cancel();
    await writeAll(socket, buffered.subarray(Math.min(skip, buffered.byteLength)), signal);
    return;
  }
  const source = response.body.stream();
  if (skip > 0) await pipeline(source, skipBytes(skip), socket, { signal });
  else await pipeline(source, socket, { signal });
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

/** A stream dropping its first `count` bytes (the `REST` offset a handler did not honour). */
export function skipBytes(count: number): Transform {
  let left = count;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (left === 0) return callback(null, chunk);
      if (chunk.byteLength <= left) {
        left -= chunk.byteLength;
        return callback();
      }
      const rest = chunk.subarray(left);
      left = 0;
      callback(null, rest);
    },
  });
}

/** An upload: the request body read from a data connection, and what happened to it. */
export interface Upload {
  /** The body handed to the handler. */
  readonly body: Body;
  /** Whether the upload went over the limit. */
  readonly exceeded: () => boolean;
}

/** Turns a data connection into a request body, refusing more than `limit` bytes with `too_large`. */
export function uploadBody(socket: Socket, limit: number): Upload {
  if (!Number.isFinite(limit)) return { body: Body.from(socket), exceeded: () => false };
  let exceeded = false;
  async function* limited(): AsyncGenerator<Uint8Array> {
    let total = 0;
    for await (const chunk of socket as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > limit) {
        exceeded = true;
        socket.destroy();
        throw new ParleyError('too_large', `The upload is larger than the limit of ${limit} bytes`);
      }
      yield chunk;
    }
  }
  return { body: Body.from(limited()), exceeded: () => exceeded };
}
