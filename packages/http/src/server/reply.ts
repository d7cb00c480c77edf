import { type ServerResponse, STATUS_CODES } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { type HeaderMap, ParleyError, type Response } from '@parley/core';
import type { ListenContext } from '@parley/core/transport';
import { HTTP_STATUS_MAP } from '../status-map.js';

/**
 * Writes a Parley response: the status through the status map, the header fields, and the
 * body: one `end(bytes)` with `content-length` for a buffered body, a pipe with backpressure
 * for a streamed one, none for `HEAD`, `204` and `304`. `close` asks the client to close the
 * connection afterwards (the server is shutting down). `exchange.finished()` is called once the
 * body is written or cut off. `code` overrides the status map's code (`206` and `416` for ranges).
 */
export function writeResponse(
  res: ServerResponse,
  response: Response,
  head: boolean,
  close: boolean,
  exchange: { finished(): void; readonly onError?: ListenContext['onError'] },
  code = HTTP_STATUS_MAP.toWire(response.status),
): void {
  const body = response.body;
  if (res.headersSent || res.destroyed) {
    void body.cancel();
    exchange.finished();
    return;
  }
  const fields = response.headers;
  if (head || code === 204 || code === 304) {
    // An empty HEAD body says nothing of the length: only a declared or a known non-zero one is sent.
    const declared = fields.get('content-length');
    const length = declared ?? (body.size === undefined || body.size === 0 ? undefined : String(body.size));
    const sent = code === 204 || code === 304 ? undefined : length;
    res.writeHead(code, wireFields(fields, close, sent)).end();
    void body.cancel();
    exchange.finished();
    return;
  }
  const text = body.bufferedText;
  const buffered = text === undefined ? body.buffered : undefined;
  if (text !== undefined || buffered !== undefined) {
    // A string is written as is: node:http encodes it straight into the socket's write.
    res.writeHead(code, wireFields(fields, close, String(body.size))).end(text ?? buffered);
    exchange.finished();
    return;
  }
  // A buffered body's own size is sent; a streamed one's when known, else the declared length.
  const length = body.size === undefined ? fields.get('content-length') : String(body.size);
  res.writeHead(code, wireFields(fields, close, length));
  const stream = body.stream();
  const socket = res.socket;
  const sent = length === undefined ? undefined : countBytes(stream, Number(length), res);
  pipeline(stream, res, (error) => {
    const failure = sent?.mismatch() ?? error;
    if (failure) {
      // Past the header block, a failing body can only cut the connection: report it.
      if (!res.destroyed || !isPrematureClose(failure))
        exchange.onError?.(ParleyError.from(failure), 'HTTP: writing a response body');
      res.destroy();
      // A response node:http counts as finished (a body short of its length) has let go of it.
      socket?.destroy();
    }
    exchange.finished();
  });
}

/**
 * Counts the bytes of a streamed body against its `content-length`. A chunk that would go past
 * it cuts the connection before it is written; a body that ends short has its connection cut
 * too. `mismatch()` then says which, so a keep-alive client neither reads the surplus as its
 * next response nor waits for bytes that never come.
 */
function countBytes(
  stream: Readable,
  expected: number,
  res: ServerResponse,
): { mismatch(): Error | undefined } {
  let count = 0;
  let overrun = false;
  // Added before the pipe's own listener, so it runs first for every chunk.
  stream.on('data', (chunk: Uint8Array | string) => {
    // A Readable of strings (`Readable.from(['a', 'b'])`) passes them on as they are.
    count += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (count <= expected || overrun) return;
    overrun = true;
    res.destroy();
    stream.destroy();
  });
  return {
    mismatch: () => {
      if (overrun)
        return new ParleyError(
          'internal',
          `The response body is longer than its content-length of ${expected} bytes`,
        );
      if (count < expected && stream.readableEnded)
        return new ParleyError(
          'internal',
          `The response body ended after ${count} of its ${expected} bytes (content-length)`,
        );
      return undefined;
    },
  };
}

/**
 * The fields of a response head as `writeHead` takes them, in one list made to size: the
 * handler's, without those the connection owns (`content-length`, `transfer-encoding`,
 * `connection`) and with `set-cookie` values joined with commas split into one field each; then
 * `connection: close` when the connection closes after it, then `content-length` when given.
 */
function wireFields(headers: HeaderMap, close: boolean, length: string | undefined): string[] {
  const all = new Array<string>(headers.size * 2 + (close ? 2 : 0) + (length === undefined ? 0 : 2));
  wire.list = all;
  wire.at = 0;
  wire.headers = headers;
  headers.forEach(putWireField);
  let at = wire.at;
  wire.list = NO_FIELDS;
  wire.headers = undefined;
  if (close) {
    all[at++] = 'connection';
    all[at++] = 'close';
  }
  if (length !== undefined) {
    all[at++] = 'content-length';
    all[at++] = length;
  }
  // Setting `length` is a call into the runtime: only when fields were dropped or split.
  if (at !== all.length) all.length = at;
  return all;
}

const NO_FIELDS: string[] = [];

/** Where {@link putWireField} writes: one function for every response, rather than a closure each. */
const wire: { list: string[]; at: number; headers: HeaderMap | undefined } = {
  list: NO_FIELDS,
  at: 0,
  headers: undefined,
};

/** Puts one of the handler's fields into the list {@link wireFields} makes (see there). */
function putWireField(value: string, name: string): void {
  if (name === 'content-length' || name === 'transfer-encoding' || name === 'connection') return;
  const list = wire.list;
  if (name === 'set-cookie') {
    for (const cookie of (wire.headers as HeaderMap).getSetCookie()) {
      list[wire.at++] = name;
      list[wire.at++] = cookie;
    }
    return;
  }
  list[wire.at++] = name;
  list[wire.at++] = value;
}

/** Whether a pipe failed only because the client went away. */
function isPrematureClose(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** Answers with a short text body, without reaching the handler. */
export function answerText(
  res: ServerResponse,
  code: number,
  message: string,
  close: boolean,
  extra: readonly string[] = [],
): void {
  if (res.headersSent || res.destroyed) return;
  const text = Buffer.from(`${message}\n`);
  const fields = [
    'content-type',
    'text/plain; charset=utf-8',
    'content-length',
    String(text.byteLength),
    ...extra,
  ];
  if (close) fields.push('connection', 'close');
  // The reason is given: a failed writeHead (a refused header value) left the handler's behind.
  res.writeHead(code, STATUS_CODES[code] ?? '', fields).end(text);
}
