import type { Readable } from 'node:stream';
import { Body, DESTINATION_HEADER, HeaderMap, type Request, type Response } from '@parley/core';
import {
  abortError,
  type Connector,
  credentialsOf,
  formatBasicAuth,
  type Trace,
} from '@parley/core/transport';
import type { Dispatcher } from 'undici';
import type { HttpOptions } from '../options.js';
import { HTTP_STATUS_MAP } from '../status-map.js';
import { traceHead } from '../trace.js';
import { clientError } from './errors.js';
import { CONNECTION_FIELDS } from './owned-fields.js';
import { OriginPools } from './pools.js';
import { type Answer, followRedirects, redirectLimit } from './redirects.js';
import { encodeTargetPath, requestTarget } from './target.js';
import type { RequestPool } from './undici-pool.js';

/**
 * Response bodies of at most this many bytes (by `content-length`) are read before the response
 * is returned, so reading them costs no stream machinery; larger ones stream.
 */
const SMALL_BODY_BYTES = 64 * 1024;

/**
 * Opens the client side: a keep-alive pool of undici connections to the URL's origin (and one
 * to each other origin a followed redirect leads to).
 */
export function connectHttp(url: URL, options: HttpOptions, trace?: Trace): Connector {
  const pools = new OriginPools(url, options);
  const client: HttpClient = {
    pools,
    origin: url,
    authorization: credentialsField(url, options),
    redirects: redirectLimit(options),
    trace,
  };
  return {
    send: (request) => send(client, request),
    close: () => pools.close(),
  };
}

/** What every exchange of one client shares. */
interface HttpClient {
  readonly pools: OriginPools;
  readonly origin: URL;
  readonly authorization: string | undefined;
  /** The most redirects followed for a `GET`, `HEAD` or `LIST`; 0: none. */
  readonly redirects: number;
  readonly trace: Trace | undefined;
}

function credentialsField(url: URL, options: HttpOptions): string | undefined {
  if (options.token !== undefined) return `Bearer ${options.token}`;
  const credentials = credentialsOf(url);
  return credentials && formatBasicAuth(credentials.username, credentials.password);
}

async function send(client: HttpClient, request: Request): Promise<Response> {
  const signal = request.signal;
  if (signal.aborted) throw abortError(signal);
  const method = request.method === 'LIST' ? 'GET' : request.method;
  const headers = outgoingFields(request, client.authorization);
  const payload = outgoingBody(request, headers);
  const path = requestTarget(request);
  const { pools, trace } = client;
  try {
    let answer = await exchange(pools.home, { method, path, headers, body: payload, signal }, trace);
    if (client.redirects > 0 && (method === 'GET' || method === 'HEAD')) {
      answer = await followRedirects(
        answer,
        new URL(path, client.origin),
        headers,
        client.redirects,
        (url, fields) =>
          exchange(
            pools.for(url.origin),
            { method, path: url.pathname + url.search, headers: fields, signal },
            trace,
          ),
      );
    }
    return await responseOf(answer, method);
  } catch (error) {
    throw clientError(error, signal);
  }
}

/** Sends one HTTP request on a pool, tracing its head and the answer's. */
async function exchange(
  pool: RequestPool,
  options: Dispatcher.RequestOptions & { headers: string[] },
  trace: Trace | undefined,
): Promise<Answer> {
  if (trace !== undefined)
    traceHead(trace, 'client', 'send', `${options.method} ${options.path} HTTP/1.1`, options.headers);
  const answer = await pool.request(options);
  if (trace !== undefined)
    traceHead(trace, 'client', 'receive', `HTTP/1.1 ${answer.statusCode}`, answer.headers);
  return answer;
}

/** The Parley response of an HTTP answer. */
async function responseOf(answer: Answer, method: string): Promise<Response> {
  const length = answer.headers['content-length'];
  const size = typeof length === 'string' && method !== 'HEAD' ? Number(length) : undefined;
  let body: Body;
  if (size !== undefined && size <= SMALL_BODY_BYTES) {
    // A small body of known length has usually arrived with the header block: read it now.
    body = Body.from(await answer.body.bytes());
  } else {
    // Readers see stream errors through iteration; a body discarded unread must not throw.
    answer.body.on('error', ignore);
    body = Body.from(answer.body, size);
  }
  return {
    status: HTTP_STATUS_MAP.fromWire(answer.statusCode),
    headers: new HeaderMap(answer.headers),
    body,
  };
}

function outgoingFields(request: Request, authorization: string | undefined): string[] {
  const fields: string[] = [];
  const move = request.method === 'MOVE';
  for (const [name, value] of request.headers) {
    if (CONNECTION_FIELDS.has(name)) continue;
    // A MOVE's target path travels as WebDAV's Destination: a percent-encoded path.
    fields.push(name, move && name === DESTINATION_HEADER ? encodeTargetPath(value) : value);
  }
  if (authorization !== undefined && !request.headers.has('authorization'))
    fields.push('authorization', authorization);
  return fields;
}

/** The body to send: the buffered bytes in one write, else the stream (with its length when known). */
function outgoingBody(request: Request, fields: string[]): Uint8Array | Readable | null {
  const body = request.body;
  const buffered = body.buffered;
  if (buffered !== undefined) {
    if (buffered.byteLength > 0) return buffered;
    const method = request.method;
    return method === 'PUT' || method === 'POST' ? buffered : null;
  }
  const declared = body.size ?? request.headers.get('content-length');
  if (declared !== undefined) fields.push('content-length', String(declared));
  return body.stream();
}

function ignore(): void {}
