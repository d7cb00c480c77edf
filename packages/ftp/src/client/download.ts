import type { Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { type LentChunkConsumer, lendChunks, ParleyError, type Response, respond } from '@parley/core';
import { statusFromFtpReply } from '../status-map.js';
import { sizeAfterDownload, watchAnnouncedSize } from './announced-size.js';
import { failure, isReply, replyResponse, replyText } from './errors.js';
import type { Lease } from './pool.js';
import { partFields, type ResumePoint } from './resume.js';
import { readNextDataIntoOneBuffer } from './reused-reads.js';

/**
 * Bytes of a download held before the response is handed out while the transfer goes on; also
 * the body's buffer. A body that fits arrives whole, with the status of the final reply
 * (`226 Created: ...` is `created`); a larger one streams with the status `ok` of its start.
 */
const BUFFER_BYTES = 256 * 1024;
/** How long after the first byte the response waits for the final reply before streaming, in ms. */
const START_WAIT_MS = 25;

/**
 * GET as RETR (from `resume.offset` after `REST`, when given; a resumed body that is not the rest
 * of the file, as `SIZE` gave it, fails), streamed: the response comes back as soon as the transfer has started (first
 * bytes buffered) and its body reads straight from the data connection. The connection goes
 * back to the pool when the transfer is complete; cancelling the body (or aborting `signal`)
 * before that closes it. A whole download shorter than the server announced (in its `150`, or
 * else to a `SIZE` asked once it ended) fails its body `unavailable`.
 *
 * A plain data connection reads into one reused buffer: each read is copied into the body, or,
 * once its reader borrows chunks (`Body.lend`) and the body holds none, lent to it directly
 * (TLS data connections read as usual and their bodies do not lend).
 */
export async function download(
  lease: Lease,
  path: string,
  signal: AbortSignal,
  resume?: ResumePoint,
): Promise<Response> {
  const body = new PassThrough({ highWaterMark: BUFFER_BYTES });
  // A body cut off before anything reads it keeps its error (`errored`) for its reader, who meets
  // it on reading; it is not thrown as an uncaught 'error' event meanwhile.
  body.on('error', ignore);
  const start = startSignal();
  let lent: LentChunkConsumer | undefined;
  let received = 0;
  // A resumed transfer's announced size may be the whole file's or the rest's: not checked.
  const size = resume === undefined ? watchAnnouncedSize(lease.ftp.ftp) : undefined;
  const sink = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      received += chunk.byteLength;
      start.arm();
      forward(body, chunk, callback, start.fire);
    },
  });
  const unhook = readNextDataIntoOneBuffer(lease.ftp, (chunk, socket) => {
    received += chunk.byteLength;
    if (body.destroyed) {
      socket.destroy(bodyClosed());
    } else if (lent !== undefined && body.readableLength === 0 && body.writableLength === 0) {
      lend(lent, chunk, body);
    } else {
      start.arm();
      copyInto(body, chunk, socket, start.fire);
    }
  });
  if (unhook !== undefined) {
    Object.assign(body, {
      [lendChunks]: (consume: LentChunkConsumer) => {
        lent = consume;
        return lendFrom(body, consume);
      },
    });
  }
  let handedOut = false;
  const abandon = (): void => lease.release(false);
  signal.addEventListener('abort', abandon, { once: true });
  body.once('close', abandon);
  const transfer = lease.ftp.downloadTo(sink, path, resume?.offset ?? 0);
  transfer.then(
    async () => {
      unhook?.();
      size?.stop();
      signal.removeEventListener('abort', abandon);
      body.off('close', abandon);
      const announced =
        size === undefined ? undefined : (size.announced() ?? (await sizeAfterDownload(lease.ftp, path)));
      lease.release(true);
      if (announced !== undefined && received < announced) body.destroy(shortTransfer(received, announced));
      else if (resume !== undefined && received !== resume.size - resume.offset)
        body.destroy(wrongPart(received, resume));
      else body.end();
    },
    (error: unknown) => {
      unhook?.();
      size?.stop();
      signal.removeEventListener('abort', abandon);
      lease.release(isReply(error) && !signal.aborted);
      if (handedOut) body.destroy(bodyError(error, signal));
    },
  );
  try {
    const first = await Promise.race([transfer, start.promise]);
    handedOut = true;
    const fields = resume === undefined ? undefined : partFields(resume);
    if (first === undefined) return respond('ok', body, fields);
    return respond(statusFromFtpReply(first.code, first.message), body, fields);
  } catch (error) {
    body.destroy();
    if (isReply(error) && !signal.aborted) return replyResponse(error);
    throw failure(error, signal);
  } finally {
    start.clear();
  }
}

/**
 * Gives the body's chunks to `consume`: first those it holds (its own copies), then, as the
 * download hands reads past it, those lent from the read buffer. Settles when the body ends or
 * fails; a failure of `consume` destroys the body, which closes the connection.
 */
function lendFrom(body: PassThrough, consume: LentChunkConsumer): Promise<void> {
  return new Promise((resolve, reject) => {
    body.on('data', (chunk: Buffer) => lend(consume, chunk, body));
    body.once('end', resolve);
    body.once('error', reject);
    body.once('close', () => reject(body.errored ?? bodyClosed()));
  });
}

/** Lends a chunk to `consume`; what it throws destroys the body. */
function lend(consume: LentChunkConsumer, chunk: Buffer, body: PassThrough): void {
  try {
    consume(chunk);
  } catch (error) {
    body.destroy(error as Error);
  }
}

/** Copies a read into the body, pausing the connection while the body is full (calling `onFull`). */
function copyInto(body: PassThrough, chunk: Buffer, socket: Socket, onFull: () => void): void {
  if (body.write(Buffer.from(chunk))) return;
  onFull();
  socket.pause();
  body.once('drain', () => socket.resume());
}

/** Writes a chunk to the body, waiting while its buffer is full (and calling `onFull` then). */
function forward(
  body: PassThrough,
  chunk: Buffer,
  callback: (error?: Error) => void,
  onFull: () => void,
): void {
  if (body.destroyed) {
    callback(bodyClosed());
    return;
  }
  if (body.write(chunk)) {
    callback();
    return;
  }
  onFull();
  const done = (error?: Error): void => {
    body.off('drain', drained);
    body.off('close', closed);
    callback(error);
  };
  const drained = (): void => done();
  const closed = (): void => done(bodyClosed());
  body.once('drain', drained);
  body.once('close', closed);
}

/** Resolves (with `undefined`) once the response should be handed out while the transfer goes on. */
function startSignal(): { promise: Promise<undefined>; arm(): void; fire(): void; clear(): void } {
  let resolve: (value: undefined) => void = () => {};
  const promise = new Promise<undefined>((done) => {
    resolve = done;
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    promise,
    arm: () => {
      timer ??= setTimeout(() => resolve(undefined), START_WAIT_MS);
    },
    fire: () => resolve(undefined),
    clear: () => clearTimeout(timer),
  };
}

/** The error a body streaming to its reader fails with when the transfer breaks off. */
function bodyError(error: unknown, signal: AbortSignal): ParleyError {
  if (isReply(error) && !signal.aborted) {
    return new ParleyError(statusFromFtpReply(error.code, error.message), replyText(error.message));
  }
  return failure(error, signal);
}

/** The error of a transfer the server ended with fewer bytes than it announced (in `150` or to `SIZE`). */
function shortTransfer(received: number, announced: number): ParleyError {
  return new ParleyError(
    'unavailable',
    `The transfer ended after ${received} of the ${announced} bytes the server announced (cut short, or the file grew meanwhile)`,
  );
}

/**
 * The error of a resumed transfer that did not send the rest of the file from its offset: more
 * bytes (a server that took `REST` and sent the whole file anyway) or fewer. Appended to what the
 * caller has, they would not make the file.
 */
function wrongPart(received: number, resume: ResumePoint): ParleyError {
  return new ParleyError(
    'unavailable',
    `The resumed transfer sent ${received} bytes, not the ${resume.size - resume.offset} from byte ${resume.offset} to the end of the ${resume.size}-byte file`,
  );
}

function bodyClosed(): ParleyError {
  return new ParleyError('cancelled', 'The response body was closed before the download ended');
}

function ignore(): void {}
