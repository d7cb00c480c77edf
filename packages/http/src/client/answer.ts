import { Readable } from 'node:stream';
import { Body, HeaderMap } from '@parley/core';
import type { Dispatcher } from 'undici';
import { AnswerStream } from './answer-stream.js';
import { cutBody } from './cut-body.js';
import { clientError } from './errors.js';
import { FilledChunks } from './filled-body.js';
import { noteKept, noteOther } from './reused-reads.js';

/**
 * Response bodies of at most this many bytes (by `content-length`) are gathered before the answer
 * is returned, so reading them costs no stream; larger ones (and those of unknown length) stream.
 * The default of the `gatheredBodyBytes` option.
 */
export const GATHERED_BODY_BYTES = 64 * 1024;

/** What one HTTP exchange sends through undici's `dispatch`. */
export interface Outgoing {
  readonly method: string;
  /** The request target: path and query. */
  readonly path: string;
  /** The header fields as a flat name, value list. */
  readonly headers: string[];
  readonly body?: Uint8Array | Readable | FilledChunks | null | undefined;
  /** Aborts the exchange, before or after the answer's header block. */
  readonly signal: AbortSignal;
  /** The largest body gathered before the answer is returned. Default: {@link GATHERED_BODY_BYTES}. */
  readonly gatheredBodyBytes?: number | undefined;
}

/** An HTTP answer: its status code, header fields (as received, and as a map) and body. */
export interface Answer {
  readonly statusCode: number;
  /** The header fields as a flat name, value list, as received. */
  readonly fields: readonly string[];
  /** The same fields, case-insensitive (read on first use). */
  readonly headers: HeaderMap;
  readonly body: Body;
}

/**
 * Sends one request on an undici dispatcher and resolves with its answer once the header block
 * has arrived; a small body of known length (and any `HEAD` answer) is gathered first, so that it
 * needs no stream. A larger body streams with backpressure: undici's parser pauses while the
 * stream is full; or its reader borrows each chunk as undici parses it (`Body.lend`). Aborting
 * `signal` fails the exchange, or cuts the body stream.
 */
export function dispatchRequest(dispatcher: Dispatcher, outgoing: Outgoing): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const signal = outgoing.signal;
    if (signal.aborted) {
      destroyBody(outgoing.body, signal.reason);
      reject(signal.reason);
      return;
    }
    const handler = new AnswerHandler(outgoing, resolve, reject);
    dispatcher.dispatch(
      {
        method: outgoing.method,
        path: outgoing.path,
        headers: outgoing.headers,
        // undici documents async iterable bodies, which its option type leaves out.
        body: (outgoing.body ?? null) as Readable | Uint8Array | null,
      },
      handler,
    );
  });
}

/** undici's handler of one exchange: it builds the {@link Answer}. */
class AnswerHandler implements Dispatcher.DispatchHandler {
  readonly #outgoing: Outgoing;
  #resolve: ((answer: Answer) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #abort: ((error?: Error) => void) | undefined;
  /** The answer's status code and fields while its body is gathered. */
  #head: { statusCode: number; fields: string[]; size: number | undefined } | undefined;
  #chunks: Buffer[] | undefined;
  #size = 0;
  #stream: AnswerStream | undefined;
  #done = false;
  /** Why the exchange was cancelled before undici started it. */
  #cancelled: Error | undefined;
  readonly #onAbort = (): void => this.#cancel(this.#outgoing.signal.reason);

  constructor(outgoing: Outgoing, resolve: (answer: Answer) => void, reject: (error: unknown) => void) {
    this.#outgoing = outgoing;
    this.#resolve = resolve;
    this.#reject = reject;
    // Removed once the exchange is over (see #finish), so it needs no `once` option.
    outgoing.signal.addEventListener('abort', this.#onAbort);
  }

  onConnect(abort: (error?: Error) => void): void {
    // Cancelled while queued in the pool: abort as soon as undici starts it.
    if (this.#cancelled !== undefined) abort(this.#cancelled);
    else this.#abort = abort;
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    noteOther();
    if (statusCode < 200) return true;
    const fields = new Array<string>(raw.length);
    let length: string | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const name = (raw[i] as Buffer).toString('latin1');
      const value = (raw[i + 1] as Buffer).toString('latin1');
      fields[i] = name;
      fields[i + 1] = value;
      if (name.length === 14 && name.toLowerCase() === 'content-length') length = value;
    }
    const size = length === undefined ? undefined : Number(length);
    if (BODILESS.has(statusCode)) {
      // No body follows, whatever `content-length` says (a 304's is the stored copy's size).
      this.#head = { statusCode, fields, size: 0 };
      this.#chunks = [];
      return true;
    }
    const gathered = this.#outgoing.gatheredBodyBytes ?? GATHERED_BODY_BYTES;
    if (this.#outgoing.method === 'HEAD' || (size !== undefined && size <= gathered)) {
      this.#head = { statusCode, fields, size };
      this.#chunks = [];
      return true;
    }
    const stream = new AnswerStream(resume, (error) => this.#cancel(error));
    this.#stream = stream;
    this.#give(statusCode, fields, Body.from(stream, size));
    return true;
  }

  onData(chunk: Buffer): boolean {
    const chunks = this.#chunks;
    if (chunks !== undefined) {
      noteKept();
      chunks.push(chunk);
      this.#size += chunk.byteLength;
      return true;
    }
    return (this.#stream as AnswerStream).deliver(chunk);
  }

  onComplete(): void {
    noteOther();
    this.#finish();
    const head = this.#head;
    if (head !== undefined) {
      const chunks = this.#chunks as Buffer[];
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.#size);
      const { statusCode, fields } = head;
      this.#give(statusCode, fields, Body.from(bytes));
      return;
    }
    this.#stream?.push(null);
  }

  onError(error: Error): void {
    noteOther();
    this.#finish();
    const head = this.#head;
    if (head !== undefined && BODILESS.has(head.statusCode) && isLengthMismatch(error)) {
      // undici holds a 204 or 304 to its `content-length` and closes the connection: the answer
      // itself is whole (no body follows one), as curl and browsers take it.
      this.#give(head.statusCode, head.fields, Body.from(new Uint8Array(0)));
      return;
    }
    if (head !== undefined && !this.#outgoing.signal.aborted) {
      // The head came and the connection failed while the body was gathered: the answer began,
      // so it is given with a body that fails where the bytes stopped, as a streamed one does.
      const { statusCode, fields, size } = head;
      const body = Body.from(cutBody(this.#chunks ?? [], clientError(error, this.#outgoing.signal)), size);
      this.#give(statusCode, fields, body);
      destroyBody(this.#outgoing.body, error);
      return;
    }
    const reject = this.#reject;
    this.#resolve = undefined;
    this.#reject = undefined;
    reject?.(error);
    // A body cut off after its head (the connection lost, the caller's abort) fails its reader
    // with a ParleyError, as the call would have.
    this.#stream?.destroy(clientError(error, this.#outgoing.signal));
    destroyBody(this.#outgoing.body, error);
  }

  /** Stops the exchange: before its answer, the request is aborted; after, the body stream is cut. */
  #cancel(reason: unknown): void {
    if (this.#done) return;
    const error = reason instanceof Error ? reason : new Error('The request was aborted', { cause: reason });
    if (this.#abort !== undefined) {
      this.#abort(error);
      return;
    }
    this.#cancelled = error;
    this.onError(error);
  }

  /** Hands out the answer: its status code, its fields (raw and as a map) and its body. */
  #give(statusCode: number, fields: string[], body: Body): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.({ statusCode, fields, headers: HeaderMap.fromFlat(fields), body });
  }

  /** The exchange is over on the wire: the signal no longer concerns it. */
  #finish(): void {
    this.#done = true;
    this.#outgoing.signal.removeEventListener('abort', this.#onAbort);
  }
}

/**
 * The statuses whose answer has no body: a `content-length` in a 304 is the size of the copy the
 * client already holds (RFC 9110, 8.6), and one in a 204, though not allowed, promises nothing.
 */
const BODILESS: ReadonlySet<number> = new Set([204, 304]);

/** Whether undici failed an answer for a body shorter than its `content-length`. */
function isLengthMismatch(error: Error): boolean {
  return (error as { code?: unknown }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';
}

function destroyBody(body: Outgoing['body'], error: unknown): void {
  if (body instanceof FilledChunks) {
    void body.return();
  } else if (body instanceof Readable && !body.destroyed) {
    body.on('error', () => {});
    body.destroy(error instanceof Error ? error : undefined);
  }
}
