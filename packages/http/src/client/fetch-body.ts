import { abortError, type Body, ParleyError, type Request } from '@parley/core';

/** Methods whose requests may have a body under fetch (GET and HEAD may not). */
const BODY_METHODS = new Set(['PUT', 'POST', 'DELETE', 'MOVE']);

/** How request bodies go out: streamed, or read whole up to a limit first. */
export interface UploadPolicy {
  /** Stream request bodies (`duplex: 'half'`). */
  readonly stream: boolean;
  /** The largest body read whole, in bytes. */
  readonly maxBufferedBytes: number;
}

/** What fetch sends as the request body: bytes, a stream (with `duplex: 'half'`), or none. */
export type OutgoingBody =
  | { readonly body: Uint8Array | null; readonly duplex?: undefined }
  | { readonly body: ReadableStream<Uint8Array>; readonly duplex: 'half' };

/**
 * The body of a fetch request: buffered bytes as they are; a streamed body as a ReadableStream
 * when uploads stream, else read whole (refused with `too_large` over the limit, before
 * anything is sent).
 */
export async function outgoingBody(request: Request, policy: UploadPolicy): Promise<OutgoingBody> {
  const body = request.body;
  const buffered = body.buffered;
  if (buffered !== undefined) {
    if (buffered.byteLength > 0 || BODY_METHODS.has(request.method)) return { body: buffered };
    return { body: null };
  }
  if (!BODY_METHODS.has(request.method)) {
    await body.cancel();
    return { body: null };
  }
  if (policy.stream) return { body: readableOf(body), duplex: 'half' };
  const limit = policy.maxBufferedBytes;
  if (body.size !== undefined && body.size > limit) {
    await body.cancel();
    throw tooLargeUpload(limit);
  }
  try {
    return { body: await body.bytes({ limit }) };
  } catch (error) {
    throw error instanceof ParleyError && error.status === 'too_large' ? tooLargeUpload(limit) : error;
  }
}

function tooLargeUpload(limit: number): ParleyError {
  return new ParleyError(
    'too_large',
    `The request body is over ${limit} bytes, the most this client reads whole before sending (maxBufferedUploadBytes); browsers stream uploads over HTTP/2 only`,
    { retryable: false },
  );
}

/** A body as a web ReadableStream, pulled chunk by chunk (backpressure kept). */
function readableOf(body: Body): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/**
 * A response body stream as chunks whose failures are ParleyErrors: the caller's abort reason
 * when its signal aborted, else `unavailable` (the connection broke mid-body).
 */
export async function* incomingChunks(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      yield next.value;
    }
  } catch (error) {
    if (signal.aborted) throw abortError(signal);
    throw new ParleyError('unavailable', 'The response body was cut off', { cause: error });
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** Whether this platform's fetch can stream a request body (`duplex: 'half'`). */
export function canStreamRequests(): boolean {
  let asked = false;
  try {
    const probe = new globalThis.Request('http://localhost/', {
      method: 'POST',
      body: new ReadableStream(),
      get duplex() {
        asked = true;
        return 'half';
      },
    } as RequestInit);
    // A platform without request streams sends the stream's string form, as text/plain.
    return asked && !probe.headers.has('content-type');
  } catch {
    return false;
  }
}
