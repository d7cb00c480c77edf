import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  Body,
  createRequest,
  HeaderMap,
  type ListenContext,
  type Method,
  normalizePath,
  ParleyError,
  type Principal,
  type Request,
  withRequest,
} from '@parley/core';
import { parseAuthorization } from '../auth.js';
import { HTTP_STATUS_CODES } from '../status-map.js';
import { incomingChunks, limitedChunks, tooLargeMessage } from './body.js';
import { connectionOf } from './connection.js';
import { decodeTargetPath } from './path.js';
import { answerText, writeResponse } from './reply.js';

/** What every exchange of one listener shares. */
export interface ExchangeContext {
  /** The server's handler and hooks. */
  readonly listen: ListenContext;
  /** The largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** The `node:http` server (to close connections left idle while shutting down). */
  readonly server: Server;
  /** Set once the listener stops accepting: responses then close their connection. */
  closing: boolean;
  /** Reads {@link ExchangeContext.closing}. */
  readonly isClosing: () => boolean;
}

/** One request being served. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly ctx: ExchangeContext;
  readonly method: Method;
  /** The decoded path and the query, as `createRequest` splits them; `undefined` when the path holds a `?`. */
  readonly target: string | undefined;
  /** The decoded path. */
  readonly path: string;
  /** The query, without `?`. */
  readonly query: string;
  readonly headers: HeaderMap;
  readonly body: Body | undefined;
}

const ALLOW = 'GET, HEAD, PUT, POST, DELETE, OPTIONS';
const CHALLENGE = ['www-authenticate', 'Basic realm="parley"'];

/** Serves one HTTP request: checks it, builds the Parley request, runs the handler, answers. */
export function serveExchange(req: IncomingMessage, res: ServerResponse, ctx: ExchangeContext): void {
  if (ctx.closing) {
    answerText(res, 503, 'The server is shutting down', true);
    return;
  }
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const path = decodeTargetPath(rawPath);
  if (path === undefined) {
    answerText(res, 400, 'The request target is not a valid, percent-encoded path', false);
    return;
  }
  const method = parleyMethod(req.method, path);
  if (method === undefined) {
    answerOtherMethod(req, res);
    return;
  }
  const headers = headerFields(req.rawHeaders);
  const body = requestBody(req, res, headers, ctx.maxBodyBytes);
  if (body === 'too_large') {
    answerText(res, 413, tooLargeMessage(ctx.maxBodyBytes), true);
    return;
  }
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const target = path === rawPath ? url : joinTarget(path, query);
  const exchange: Exchange = { req, res, ctx, method, target, path, query, headers, body };
  const served =
    ctx.listen.authenticate === undefined ? answer(exchange, undefined) : authenticateThenAnswer(exchange);
  served.catch((error: unknown) => failed(res, error));
}

/** A decoded path and its query; `undefined` when a decoded `?` would be mistaken for the query's start. */
function joinTarget(path: string, query: string): string | undefined {
  if (path.includes('?')) return undefined;
  return query === '' ? path : `${path}?${query}`;
}

/**
 * The header fields of a request, read straight from the raw name and value list (cheaper than
 * `req.headers`, which `node:http` builds only when asked). Repeated fields are joined with `, `.
 */
function headerFields(raw: readonly string[]): HeaderMap {
  const headers = new HeaderMap();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/** The Parley method of an HTTP method; `GET` on a path ending in `/` is `LIST`. */
function parleyMethod(method: string | undefined, path: string): Method | undefined {
  switch (method) {
    case 'GET':
      return path.charCodeAt(path.length - 1) === 47 /* / */ ? 'LIST' : 'GET';
    case 'HEAD':
    case 'PUT':
    case 'POST':
    case 'DELETE':
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
  const text = `${req.method} is not carried; Parley over HTTP carries GET, HEAD, PUT, POST and DELETE (LIST is a GET on a path ending in /)`;
  answerText(res, 501, text, false, ['allow', ALLOW]);
}

/** The request body, `undefined` when there is none, `too_large` for a declared length over the limit. */
function requestBody(
  req: IncomingMessage,
  res: ServerResponse,
  headers: HeaderMap,
  limit: number,
): Body | undefined | 'too_large' {
  const length = headers.get('content-length');
  if (length !== undefined) {
    const size = Number(length);
    if (size > limit) return 'too_large';
    return size > 0 ? Body.from(incomingChunks(req), size) : undefined;
  }
  if (!headers.has('transfer-encoding')) return undefined;
  return Body.from(limitedChunks(req, limit, () => answerText(res, 413, tooLargeMessage(limit), true)));
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

async function answer(exchange: Exchange, principal: Principal | undefined): Promise<void> {
  const { req, res, ctx } = exchange;
  const connection = connectionOf(req.socket, ctx.server, ctx.isClosing);
  const signal = connection.begin();
  let request: Request;
  try {
    request = buildRequest(exchange, signal, principal);
  } catch (error) {
    answerText(res, 400, ParleyError.from(error).message, false);
    connection.finished();
    return;
  }
  const response = await ctx.listen.handle(request);
  writeResponse(res, response, exchange.method === 'HEAD', ctx.closing, connection);
}

function buildRequest(exchange: Exchange, signal: AbortSignal, principal: Principal | undefined): Request {
  const { req, method, target, headers, body } = exchange;
  const request = createRequest({
    method,
    path: target ?? '/',
    headers,
    body,
    signal,
    peer: { protocol: 'http', address: req.socket.remoteAddress, principal },
  });
  if (target !== undefined) return request;
  // A decoded `%3F` belongs to the path, not to the query.
  return withRequest(request, {
    path: normalizePath(exchange.path),
    query: new URLSearchParams(exchange.query),
  });
}

function failed(res: ServerResponse, error: unknown): void {
  const failure = ParleyError.from(error);
  if (res.headersSent) res.destroy();
  else answerText(res, HTTP_STATUS_CODES[failure.status] ?? 500, failure.message, false);
}
