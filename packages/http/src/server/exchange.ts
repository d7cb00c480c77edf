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
}

const ALLOW = 'GET, HEAD, PUT, POST, DELETE, OPTIONS';
const CHALLENGE = ['www-authenticate', 'Basic realm="parley"'];

/** Serves one HTTP request: checks it, builds the Parley request, runs the handler, answers. */
export function serveExchange(req: IncomingMessage, res: ServerResponse, ctx: ExchangeContext): void {
  if (ctx.closing) return answerText(res, 503, 'The server is shutting down', true);
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const path = decodeTargetPath(rawPath);
  if (path === undefined)
    return answerText(res, 400, 'The request target is not a valid, percent-encoded path', false);
  const method = parleyMethod(req.method, path);
  if (method === undefined) return answerOtherMethod(req, res);
  const body = requestBody(req, res, ctx.maxBodyBytes);
  if (body === 'too_large') return answerText(res, 413, tooLargeMessage(ctx.maxBodyBytes), true);
  const query = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const exchange: Exchange = {
    req,
    res,
    ctx,
    method,
    target: joinTarget(target, rawPath, path, query),
    path,
    query,
    body,
  };
  if (ctx.listen.authenticate === undefined) {
    answer(exchange, undefined).catch((error: unknown) => failed(res, error));
  } else {
    authenticateThenAnswer(exchange).catch((error: unknown) => failed(res, error));
  }
}

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
  readonly body: Body | undefined;
}

function joinTarget(target: string, rawPath: string, path: string, query: string): string | undefined {
  if (path === rawPath) return target;
  if (path.includes('?')) return undefined;
  return query === '' ? path : `${path}?${query}`;
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
  limit: number,
): Body | undefined | 'too_large' {
  const length = req.headers['content-length'];
  if (length !== undefined) {
    const size = Number(length);
    if (size > limit) return 'too_large';
    return size > 0 ? Body.from(incomingChunks(req), size) : undefined;
  }
  if (req.headers['transfer-encoding'] === undefined) return undefined;
  return Body.from(limitedChunks(req, limit, () => answerText(res, 413, tooLargeMessage(limit), true)));
}

async function authenticateThenAnswer(exchange: Exchange): Promise<void> {
  const authenticate = exchange.ctx.listen.authenticate;
  const credentials = parseAuthorization(exchange.req.headers.authorization);
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
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished)
      controller.abort(new ParleyError('cancelled', 'The client closed the connection'));
    if (ctx.closing) setImmediate(() => ctx.server.closeIdleConnections());
  });
  let request: Request;
  try {
    request = buildRequest(exchange, controller.signal, principal);
  } catch (error) {
    answerText(res, 400, ParleyError.from(error).message, false);
    return;
  }
  const response = await ctx.listen.handle(request);
  writeResponse(res, response, exchange.method === 'HEAD', ctx.closing);
}

function buildRequest(exchange: Exchange, signal: AbortSignal, principal: Principal | undefined): Request {
  const { req, method, target, body } = exchange;
  const request = createRequest({
    method,
    path: target ?? '/',
    headers: new HeaderMap(req.headers),
    body,
    signal,
    peer: { protocol: 'http', address: req.socket.remoteAddress, principal },
  });
  // A decoded `%3F` is part of the path, not the start of a query.
  if (target !== undefined) return request;
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
