import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  Body,
  HeaderMap,
  type Method,
  ParleyError,
  type Principal,
  type Request,
  type Response,
} from '@parley/core';
import {
  type ListenContext,
  parseAuthorization,
  type ResponseSink,
  receivedRequest,
  type SignalSource,
  sameFieldName,
  serveRequest,
} from '@parley/core/transport';
import { HTTP_STATUS_MAP } from '../status-map.js';
import { requestArrived } from './admission.js';
import { incomingChunks, limitedChunks, tooLargeMessage } from './body.js';
import { unwatchSocket, watchSocket } from './connection.js';
import { rewriteDestination } from './destination.js';
import { fieldsOfNote } from './fields-of-note.js';
import { hostFieldProblem } from './host-field.js';
import { answerAndLinger, discardUnreadBody, type LingerLimits } from './linger.js';
import { isNotModified } from './not-modified.js';
import { startsNow, waitTurn } from './order.js';
import { decodeTargetPath, originForm, targetAuthority } from './path.js';
import { peerOf } from './peer.js';
import { rangedReply } from './ranges.js';
import { answerText, writeResponse } from './reply.js';

/** What every exchange of one listener shares. */
export interface ExchangeContext {
  /** The server's handler and hooks. */
  readonly listen: ListenContext;
  /** The largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** How a connection answered in the middle of a request body is closed. */
  readonly linger: LingerLimits;
  /** The `node:http` server (to close connections left idle while shutting down). */
  readonly server: Server;
  /** Set once the listener stops accepting: responses then close their connection. */
  closing: boolean;
}

/** One request being served: what was read of it, the lifetime of its signal, and its answer. */
class Exchange implements ResponseSink, SignalSource {
  /** The controller of the request's signal, once a handler read it. */
  #controller: AbortController | undefined;
  #done = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly ctx: ExchangeContext,
    readonly method: Method,
    /** The decoded path. */
    readonly path: string,
    /** The query, without `?`. */
    readonly query: string,
    readonly headers: HeaderMap,
    readonly body: Body | undefined,
  ) {}

  /** Where failures that cannot be answered go (the server's `onError`). */
  get onError(): ListenContext['onError'] {
    return this.ctx.listen.onError;
  }

  /**
   * The request's signal, made when a handler first reads it: it aborts if the connection
   * closes before the response is written. Read after that, it never aborts.
   */
  signal(): AbortSignal {
    if (this.#done) return new AbortController().signal;
    this.#controller = watchSocket(this.req.socket);
    return this.#controller.signal;
  }

  /** Writes the handler's response (a failure to write it is answered as its status). */
  respond(response: Response): void {
    try {
      const method = this.method;
      // Only an `ok` answer can become a 304 or a 206, and only with these fields (or a Range).
      const noted = response.status === 'ok' ? fieldsOfNote(response.headers) : undefined;
      const partSent = noted?.contentRange === true;
      if (noted?.validators === true && isNotModified(method, this.headers, response)) {
        writeResponse(this.res, response, true, this.ctx.closing, this, 304);
        return;
      }
      const ranged =
        partSent || (noted !== undefined && method === 'GET' && this.headers.has('range'))
          ? rangedReply(method, this.headers, response)
          : undefined;
      if (ranged === undefined) writeResponse(this.res, response, method === 'HEAD', this.ctx.closing, this);
      else writeResponse(this.res, ranged.response, method === 'HEAD', this.ctx.closing, this, ranged.code);
    } catch (error) {
      // A header field node:http refuses (CR, LF, NUL in a value): the body is never sent.
      void response.body.cancel();
      failed(this.res, error, this.ctx.listen);
      this.finished();
    }
  }

  /** Marks the exchange answered (its response written, or cut off). */
  finished(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#controller !== undefined) unwatchSocket(this.req.socket, this.#controller);
    // Answered before its body was read to the end: the rest is read and thrown away.
    if (this.body !== undefined && !this.req.complete && !this.req.socket.destroyed)
      discardUnreadBody(this.req, this.ctx.linger);
    // While shutting down, a keep-alive connection that just went idle is closed.
    if (this.ctx.closing) closeIdleSoon(this.ctx.server);
  }
}

/**
 * Closes the connections of `server` left idle, once the current ones have had their turn. Apart
 * from {@link Exchange.finished}: a closure there would cost every exchange an object.
 */
function closeIdleSoon(server: Server): void {
  setImmediate(() => server.closeIdleConnections());
}

/** The methods the server answers, for `Allow`. */
export const ALLOW = 'GET, HEAD, PUT, POST, DELETE, MOVE, OPTIONS';
const CHALLENGE = ['www-authenticate', 'Basic realm="parley"'];

/** Serves one HTTP request: checks it, builds the Parley request, runs the handler, answers. */
export function serveExchange(req: IncomingMessage, res: ServerResponse, ctx: ExchangeContext): void {
  requestArrived(req.socket);
  if (ctx.closing) {
    answerText(res, 503, 'The server is shutting down', true);
    return;
  }
  if (req.httpVersionMajor !== 1) {
    const text = `HTTP/${req.httpVersion} is not supported: this server speaks HTTP/1.x`;
    answerText(res, 505, text, true);
    return;
  }
  const badHost = hostFieldProblem(req.rawHeaders);
  if (badHost !== undefined) {
    answerText(res, 400, badHost, true);
    return;
  }
  const url = originForm(req.url ?? '/');
  const queryStart = url.indexOf('?');
  const path = decodeTargetPath(queryStart === -1 ? url : url.slice(0, queryStart));
  if (path === undefined) {
    if (url === '*' && req.method === 'OPTIONS') {
      res.writeHead(204, ['allow', ALLOW]).end();
      return;
    }
    answerText(res, 400, 'The request target is not a valid, percent-encoded path', false);
    return;
  }
  const method = parleyMethod(req.method, path);
  if (method === undefined) {
    answerOtherMethod(req, res);
    return;
  }
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const safe = method === 'GET' || method === 'HEAD' || method === 'LIST';
  if (startsNow(req.socket, res, safe)) begin(req, res, ctx, method, path, query);
  else beginInTurn(req, res, ctx, method, path, query, safe);
}

/**
 * Queues a request that may not start yet (see `order.ts`). Apart from {@link serveExchange}: a
 * function making a closure holds the variables it captures in an object made on every call.
 */
function beginInTurn(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ExchangeContext,
  method: Method,
  path: string,
  query: string,
  safe: boolean,
): void {
  waitTurn(req.socket, res, safe, () => begin(req, res, ctx, method, path, query));
}

/**
 * Answers `Expect: 100-continue`: `413` at once to a declared length over the limit (the body
 * then never comes); otherwise the request is served, and `100 Continue` sent when the handler
 * first reads the body.
 */
export function checkContinue(req: IncomingMessage, res: ServerResponse, ctx: ExchangeContext): void {
  const framing = bodyFraming(req.rawHeaders);
  if (typeof framing === 'string' && Number(framing) > ctx.maxBodyBytes) {
    requestArrived(req.socket);
    answerAndLinger(req, res, 413, tooLargeMessage(ctx.maxBodyBytes), ctx.linger);
    return;
  }
  continuing.add(req);
  serveExchange(req, res, ctx);
}

/** Requests whose client waits for `100 Continue` before sending the body. */
const continuing = new WeakSet<IncomingMessage>();

/** Serves a request in its turn on its connection (see `order.ts`). */
function begin(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ExchangeContext,
  method: Method,
  path: string,
  query: string,
): void {
  const body = requestBody(req, res, ctx);
  if (body === 'too_large') {
    answerAndLinger(req, res, 413, tooLargeMessage(ctx.maxBodyBytes), ctx.linger);
    return;
  }
  if (body === 'other_coding') {
    const text = `Transfer-Encoding ${req.headers['transfer-encoding']} is not supported: send the body with chunked alone or a Content-Length`;
    answerAndLinger(req, res, 501, text, ctx.linger);
    return;
  }
  // Read from the raw name and value list when first used (`req.headers` costs more to build).
  const headers = HeaderMap.fromFlat(req.rawHeaders);
  // An absolute-form target names the host: the Host field is ignored (RFC 9112, 3.2.2), so
  // host checks (`refuseUnknownHosts`, `refuseCrossSite`) look at the host the request names.
  const authority = targetAuthority(req.url ?? '/');
  if (authority !== undefined) headers.set('host', authority);
  // A part sent as if it were the whole would replace the whole (RFC 9110, section 14.5).
  if (method === 'PUT' && headers.has('content-range')) {
    answerAndLinger(req, res, 400, PARTIAL_PUT, ctx.linger);
    return;
  }
  const badDestination = method === 'MOVE' ? rewriteDestination(headers, headers.get('host')) : undefined;
  if (badDestination !== undefined) {
    answerText(res, 400, badDestination, body !== undefined);
    return;
  }
  const exchange = new Exchange(req, res, ctx, method, path, query, headers, body);
  if (ctx.listen.authenticate === undefined) answer(exchange, undefined);
  else authenticateThenAnswer(exchange).catch((error: unknown) => failed(res, error, ctx.listen));
}

/** The refusal of a `PUT` with `Content-Range`. */
const PARTIAL_PUT =
  'A PUT with Content-Range (a part of the content) is refused: PUT replaces the whole content; send all of it';

/** The Parley method of an HTTP method; `GET` on a path ending in `/` is `LIST`. */
function parleyMethod(method: string | undefined, path: string): Method | undefined {
  switch (method) {
    case 'GET':
      return path.charCodeAt(path.length - 1) === 47 /* / */ ? 'LIST' : 'GET';
    case 'HEAD':
    case 'PUT':
    case 'POST':
    case 'DELETE':
    case 'MOVE':
      return method;
    default:
      return undefined;
  }
}

function answerOtherMethod(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, ['allow', ALLOW]).end();
    return;
  }
  const text = `${req.method} is not carried; Parley over HTTP carries GET, HEAD, PUT, POST, DELETE and MOVE (LIST is a GET on a path ending in /)`;
  answerText(res, 501, text, false, ['allow', ALLOW]);
}

/**
 * The request body, `undefined` when there is none, `too_large` for a declared length over the
 * limit, `other_coding` for a transfer coding besides `chunked` (its bytes would pass coded).
 */
function requestBody(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ExchangeContext,
): Body | undefined | 'too_large' | 'other_coding' {
  const framing = bodyFraming(req.rawHeaders);
  if (framing === undefined) return undefined;
  if (framing === OTHER_CODING) return 'other_coding';
  const limit = ctx.maxBodyBytes;
  const firstRead = continuing.has(req) ? sendContinue(res) : undefined;
  if (framing !== CHUNKED) {
    const size = Number(framing);
    if (size > limit) return 'too_large';
    return size > 0 ? Body.from(incomingChunks(req, ctx, firstRead), size) : undefined;
  }
  return Body.from(limitedChunks(req, ctx, limit, answerTooLarge(req, res, ctx), firstRead));
}

/** Sends `100 Continue` (made apart: see {@link beginInTurn}). */
function sendContinue(res: ServerResponse): () => void {
  return () => res.writeContinue();
}

/** Answers `413` to a chunked body once it passes the limit. */
function answerTooLarge(req: IncomingMessage, res: ServerResponse, ctx: ExchangeContext): () => void {
  return () => answerAndLinger(req, res, 413, tooLargeMessage(ctx.maxBodyBytes), ctx.linger);
}

const CHUNKED = Symbol('chunked');
const OTHER_CODING = Symbol('other coding');

/**
 * How a request's body is framed, read from the raw header list: the `content-length` value
 * (several ones joined with `, `), else {@link CHUNKED} for a `transfer-encoding` of `chunked`
 * alone, {@link OTHER_CODING} when it names another coding too (`gzip, chunked`), else
 * `undefined` (no body).
 */
function bodyFraming(raw: readonly string[]): string | typeof CHUNKED | typeof OTHER_CODING | undefined {
  let length: string | undefined;
  let coding: typeof CHUNKED | typeof OTHER_CODING | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (sameFieldName(name, 'content-length')) {
      const value = raw[i + 1] as string;
      length = length === undefined ? value : `${length}, ${value}`;
    } else if (sameFieldName(name, 'transfer-encoding')) {
      const value = (raw[i + 1] as string).trim().toLowerCase();
      if (coding !== OTHER_CODING) coding = value === 'chunked' ? CHUNKED : OTHER_CODING;
    }
  }
  return length ?? coding;
}

async function authenticateThenAnswer(exchange: Exchange): Promise<void> {
  const authenticate = exchange.ctx.listen.authenticate;
  const credentials = parseAuthorization(exchange.headers.get('authorization'));
  const peer = { protocol: 'http', address: exchange.req.socket.remoteAddress };
  const principal =
    credentials === undefined || authenticate === undefined ? null : await authenticate(credentials, peer);
  if (principal === null) {
    answerText(exchange.res, 401, 'Credentials required or refused', false, CHALLENGE);
    return;
  }
  await answer(exchange, principal);
}

/** Runs the handler and writes its response. */
function answer(exchange: Exchange, principal: Principal | undefined): void {
  const { req, res, ctx } = exchange;
  let request: Request;
  try {
    // The query is given apart: a decoded `%3F` of the path never starts it. The exchange makes
    // the signal, when a handler reads it.
    request = receivedRequest(
      exchange.method,
      exchange.path,
      exchange.query,
      exchange.headers,
      exchange.body,
      peerOf(req.socket, principal),
      exchange,
    );
  } catch (error) {
    answerText(res, 400, ParleyError.from(error).message, false);
    exchange.finished();
    return;
  }
  serveRequest(ctx.listen, request, exchange);
}

/**
 * Answers a failure that reached the transport: its status and message, with `Retry-After`
 * (whole seconds, rounded up) when it says when to try again, as a throttled login does.
 */
function failed(res: ServerResponse, error: unknown, context: ListenContext): void {
  const failure = ParleyError.from(error);
  if (res.headersSent) {
    context.onError?.(failure, 'HTTP: answering a request after its header block was sent');
    res.destroy();
    return;
  }
  const code = HTTP_STATUS_MAP.toWire(failure.status);
  const wait = failure.retryAfterMs;
  const extra = wait === undefined ? [] : ['retry-after', String(Math.max(1, Math.ceil(wait / 1000)))];
  answerText(res, code, failure.message, false, extra);
}
