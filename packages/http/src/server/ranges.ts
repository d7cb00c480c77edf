import {
  Body,
  contentRange,
  HeaderMap,
  type Method,
  type Response,
  requestedRange,
  sliceBody,
} from '@parley/core';

/** A response as the HTTP server sends it for a range request, and the status code that says so. */
export interface RangedReply {
  readonly response: Response;
  /** `206` for a part, `416` for a range past the end. */
  readonly code: 206 | 416;
}

/**
 * What a handler's `ok` response becomes on the wire for a request's `Range` (RFC 9110,
 * section 14): a response whose handler sent a part itself (it set `content-range`) is a `206`;
 * otherwise, for a GET asking one range of a body of known length (its `If-Range`, if any,
 * naming the response's `etag` or `last-modified`), the server sends that part as a `206`,
 * reading past the bytes before it, or answers `416` with `content-range: bytes *\/size` when
 * it starts past the end. `undefined` leaves the response as it is: most requests ask no range,
 * and a malformed value or several ranges get the whole body, as the RFC allows.
 */
export function rangedReply(method: Method, request: HeaderMap, response: Response): RangedReply | undefined {
  if (response.status !== 'ok') return undefined;
  if (response.headers.has('content-range')) return { response, code: 206 };
  if (method !== 'GET' || !request.has('range')) return undefined;
  const declared = response.headers.get('content-length');
  const size = declared === undefined ? response.body.size : Number(declared);
  if (size === undefined || !Number.isSafeInteger(size)) return undefined;
  const range = requestedRange(request, response.headers, size);
  if (range === undefined) return undefined;
  if (range === 'unsatisfiable') {
    void response.body.cancel();
    const headers = new HeaderMap({
      'content-type': 'text/plain; charset=utf-8',
      'content-range': contentRange(size),
    });
    const text = `Range not satisfiable: ${request.get('range')} asks for bytes past the end of a body of ${size} bytes\n`;
    return { response: { status: 'ok', headers, body: Body.from(text) }, code: 416 };
  }
  const headers = new HeaderMap(response.headers);
  headers.set('content-range', contentRange(size, range));
  headers.set('content-length', String(range.end - range.start + 1));
  return { response: { status: 'ok', headers, body: sliceBody(response.body, range) }, code: 206 };
}
