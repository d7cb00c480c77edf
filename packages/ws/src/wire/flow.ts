import { type Body, ParleyError, type Status } from '@parley/core';
import { encodeData, INITIAL_WINDOW, MAX_CHUNK } from './frame.js';

/** Where a stream's frames go: one WebSocket connection. */
export interface FrameSink {
  /**
   * Sends one frame (one binary message). `whole`: the frame is all its stream sends for now (a
   * request or response in one frame), so with nothing else in flight it need not wait for a batch.
   */
  send(frame: Uint8Array, whole?: boolean): void;
  /**
   * `undefined` when the connection takes more bytes now, else a promise that resolves once
   * its outgoing buffer has drained enough (or the connection closed).
   */
  writable(): Promise<void> | undefined;
}

const EMPTY = new Uint8Array(0);

/**
 * A body small enough to ride whole in its `HEADERS` frame ({@link MAX_CHUNK} bytes at most):
 * its text when it was built from a string (encoded straight into the frame), else its bytes;
 * `undefined` for a larger or streamed body.
 */
export function inlineBody(body: Body): Uint8Array | string | undefined {
  if (body.size === undefined || body.size > MAX_CHUNK) return undefined;
  return body.bufferedText ?? body.buffered;
}

/**
 * The sending half of a stream's flow control: the bytes the peer still takes, grown by its
 * `CREDIT` frames. A sender waits here when it has none left, so one slow reader holds back only
 * its own stream, never the connection.
 */
export class Outflow {
  #credit = INITIAL_WINDOW;
  #stopped = false;
  #wake: (() => void) | undefined;

  /** Whether the peer asked to stop (or the connection ended). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Adds credit from a `CREDIT` frame. */
  grant(bytes: number): void {
    this.#credit += bytes;
    this.#notify();
  }

  /** Stops sending: waiting senders wake and send nothing more. */
  stop(): void {
    this.#stopped = true;
    this.#notify();
  }

  /** Takes up to `wanted` bytes of credit now, without waiting (0 when none is left). */
  takeNow(wanted: number): number {
    if (this.#stopped) return 0;
    const taken = Math.min(wanted, this.#credit);
    this.#credit -= taken;
    return taken;
  }

  /** Takes up to `wanted` bytes of credit, waiting for some when none is left; 0 once stopped. */
  async take(wanted: number): Promise<number> {
    while (this.#credit <= 0 && !this.#stopped) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    return this.takeNow(wanted);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/**
 * Sends a body as `DATA` frames of at most {@link MAX_CHUNK} bytes, each within the stream's
 * credit and only while the connection drains, then the final empty `DATA` frame with `END`.
 * Returns false, having sent no `END`, when the stream was stopped first.
 */
export async function pumpBody(
  sink: FrameSink,
  id: number,
  flow: Outflow,
  source: AsyncIterable<Uint8Array>,
): Promise<boolean> {
  for await (const chunk of source) {
    let at = 0;
    while (at < chunk.byteLength) {
      const size = await flow.take(Math.min(MAX_CHUNK, chunk.byteLength - at));
      if (size === 0) return false;
      sink.send(encodeData(id, chunk.subarray(at, at + size), false));
      at += size;
      const draining = sink.writable();
      if (draining !== undefined) await draining;
    }
    if (flow.stopped) return false;
  }
  if (flow.stopped) return false;
  sink.send(encodeData(id, EMPTY, true));
  return true;
}

/** A body's declared length (its `content-length` field), which its bytes must match. */
export interface DeclaredLength {
  readonly bytes: number;
  /** The status of the failure when they do not: `bad_request` for a request body, `unavailable` for a response's. */
  readonly status: Status;
  /** `request` or `response`, for the message. */
  readonly whose: string;
}

/**
 * The failure of a body that brought `received` bytes against its declared length: `undefined`
 * when they match, or when nothing was declared. `ended` tells whether the body is over (then
 * fewer bytes fail too); before that, only more bytes than declared fail.
 */
export function lengthMismatch(
  declared: DeclaredLength | undefined,
  received: number,
  ended: boolean,
): ParleyError | undefined {
  if (declared === undefined) return undefined;
  const { bytes, status, whose } = declared;
  if (received > bytes)
    return new ParleyError(status, `The ${whose} body is longer than its content-length of ${bytes} bytes`, {
      retryable: false,
    });
  if (ended && received < bytes)
    return new ParleyError(
      status,
      `The ${whose} body ended after ${received} of its ${bytes} bytes (content-length)`,
      {
        retryable: false,
      },
    );
  return undefined;
}

/**
 * The receiving half of a stream: body chunks as they arrive, read once as an async iterable.
 * Credit goes back to the sender as the reader takes chunks, so at most one window of bytes
 * waits here per stream. A reader that stops early cancels the stream.
 */
export class Inflow implements AsyncIterable<Uint8Array> {
  #chunks: Uint8Array[] = [];
  #window = INITIAL_WINDOW;
  #consumed = 0;
  #ended = false;
  #failure: unknown;
  #wake: (() => void) | undefined;
  #waitingSince = 0;
  #received = 0;
  readonly #grant: (bytes: number) => void;
  readonly #cancel: () => void;
  readonly #declared: DeclaredLength | undefined;

  /**
   * `grant` sends a `CREDIT` frame; `cancel` tells the sender to stop (the reader gave up).
   * With `declared`, a body longer than it fails as its bytes come, a shorter one at its end.
   */
  constructor(grant: (bytes: number) => void, cancel: () => void, declared?: DeclaredLength) {
    this.#grant = grant;
    this.#cancel = cancel;
    this.#declared = declared;
  }

  /** Whether the body has ended (completely, with a failure, or given up by its reader). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Since when (ms) the reader has waited for bytes the sender has the credit to send (none are
   * queued); `undefined` while it does not wait.
   */
  get starvedSince(): number | undefined {
    return this.#wake === undefined ? undefined : this.#waitingSince;
  }

  /** Adds received bytes. Returns false when they overrun the credit given to the sender. */
  push(chunk: Uint8Array): boolean {
    if (this.#ended || chunk.byteLength === 0) return true;
    this.#window -= chunk.byteLength;
    if (this.#window < 0) return false;
    this.#received += chunk.byteLength;
    const overrun = lengthMismatch(this.#declared, this.#received, false);
    if (overrun !== undefined) {
      this.end(overrun);
      this.#cancel();
      return true;
    }
    this.#chunks.push(chunk);
    this.#notify();
    return true;
  }

  /**
   * Ends the body: the reader gets what is left, then stops (or throws `error` when given, or
   * the length's failure when fewer bytes came than were declared).
   */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = error ?? lengthMismatch(this.#declared, this.#received, true);
    this.#notify();
  }

  /** Ends the body with `error` at once, dropping the chunks its reader has not taken yet. */
  drop(error: unknown): void {
    this.#chunks = [];
    this.end(error);
  }

  /** Reads the chunks as they come. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    let finished = false;
    try {
      while (true) {
        const chunk = this.#chunks.shift();
        if (chunk !== undefined) {
          yield chunk;
          this.#credit(chunk.byteLength);
          continue;
        }
        if (this.#ended) {
          finished = true;
          if (this.#failure !== undefined) throw this.#failure;
          return;
        }
        this.#waitingSince = Date.now();
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      if (!finished) {
        this.#ended = true;
        this.#chunks = [];
        this.#cancel();
      }
    }
  }

  #credit(bytes: number): void {
    this.#window += bytes;
    this.#consumed += bytes;
    if (this.#ended || this.#consumed < INITIAL_WINDOW / 4) return;
    this.#grant(this.#consumed);
    this.#consumed = 0;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
