import { Body } from './body.js';
import type { HeaderMap } from './headers.js';

/** A run of bytes of a body: `start` and `end` are offsets, both included (as in HTTP). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * What a request's `range` header field asks of a body of `size` bytes, the `bytes=` forms
 * of HTTP (RFC 9110, section 14): `bytes=a-b`, `bytes=a-` and `bytes=-n` (the last n bytes).
 * `undefined` when it asks for nothing a server has to honour: no field, another unit, several
 * ranges, or a malformed value (a server may then send the whole body). `'unsatisfiable'` when
 * the range starts at or past the end (HTTP's `416`), or asks for the last 0 bytes. An end
 * past the body is cut to its last byte. FTP's `REST n` rides as `bytes=n-`.
 *
 * @param field - the `range` header field, if any
 * @param size - the body's length in bytes
 * @returns The range to send, `'unsatisfiable'`, or `undefined` for the whole body.
 *
 * @example
 * ```ts
 * parseByteRange('bytes=0-99', 1000); // { start: 0, end: 99 }
 * parseByteRange('bytes=-10', 1000); // { start: 990, end: 999 }
 * parseByteRange('bytes=2000-', 1000); // 'unsatisfiable'
 * ```
 */
export function parseByteRange(
  field: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (field === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(field);
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first.length > 15 || last.length > 15) return undefined;
  if (first === '') {
    if (last === '') return undefined;
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  if (end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/**
 * The range a request asks of a response's body of `size` bytes, once its `if-range` condition
 * is met: an `if-range` naming an entity tag must equal the response's strong `etag`, one naming
 * a date must equal its `last-modified`; otherwise the whole body is sent (`undefined`), as it
 * changed since the client read its first part. See {@link parseByteRange}.
 *
 * @param request - the request's header fields (`range`, `if-range`)
 * @param response - the response's header fields (`etag`, `last-modified`)
 * @param size - the body's length in bytes
 * @returns The range to send, `'unsatisfiable'`, or `undefined` for the whole body.
 */
export function requestedRange(
  request: HeaderMap,
  response: HeaderMap,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  const range = request.get('range');
  if (range === undefined) return undefined;
  const condition = request.get('if-range')?.trim();
  if (condition !== undefined && !validatorMatches(condition, response)) return undefined;
  return parseByteRange(range, size);
}

/** Whether an `if-range` value names the response as it is now (strong comparison only). */
function validatorMatches(condition: string, response: HeaderMap): boolean {
  if (condition.startsWith('"') || condition.startsWith('W/')) {
    const etag = response.get('etag');
    return etag !== undefined && !etag.startsWith('W/') && !condition.startsWith('W/') && etag === condition;
  }
  return response.get('last-modified') === condition;
}

/**
 * The `content-range` value of a part sent (`bytes 0-99/1000`), or, with no range, of a range
 * that could not be sent (`bytes *\/1000`).
 *
 * @param size - the whole body's length in bytes
 * @param range - the part sent, if any
 * @returns The field value.
 */
export function contentRange(size: number, range?: ByteRange): string {
  return range === undefined ? `bytes */${size}` : `bytes ${range.start}-${range.end}/${size}`;
}

/**
 * The part of a body in `range`: a buffered body is cut without a copy; a streamed one is read
 * from its start, the bytes before the range dropped and the read ended after it (the source is
 * released then). A source that can seek (a file) is better opened at the range by the handler.
 *
 * @param body - the whole body, consumed
 * @param range - the part to keep
 * @returns A body of `range.end - range.start + 1` bytes.
 */
export function sliceBody(body: Body, range: ByteRange): Body {
  const length = range.end - range.start + 1;
  const buffered = body.buffered;
  if (buffered !== undefined) {
    void body.cancel();
    return Body.from(buffered.subarray(range.start, range.end + 1));
  }
  return Body.from(slicedChunks(body, range.start, length), length);
}

async function* slicedChunks(body: Body, skip: number, length: number): AsyncGenerator<Uint8Array> {
  let toSkip = skip;
  let left = length;
  const chunks = body[Symbol.asyncIterator]();
  try {
    while (left > 0) {
      const next = await chunks.next();
      if (next.done === true) return;
      let chunk = next.value;
      if (toSkip >= chunk.byteLength) {
        toSkip -= chunk.byteLength;
        continue;
      }
      chunk = chunk.subarray(toSkip, toSkip + left);
      toSkip = 0;
      left -= chunk.byteLength;
      yield chunk;
    }
  } finally {
    await chunks.return?.();
    await body.cancel();
  }
}
