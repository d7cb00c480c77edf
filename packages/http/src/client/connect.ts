import type { Readable } from 'node:stream';
import { Body, DESTINATION_HEADER, HeaderMap, type Request, type Response } from '@parley/core';
import {
  abortError,
  type Connector,
  credentialsOf,
  formatBasicAuth,
  type Trace,
} from '@parley/core/transport';
import { Pool } from 'undici';
import { HTTP_DEFAULTS, type HttpOptions } from '../options.js';
import { HTTP_STATUS_MAP } from '../status-map.js';
import { traceHead } from '../trace.js';
import { clientError } from './errors.js';
import { encodeTargetPath, requestTarget } from './target.js';

/** Request header fields the connection itself owns: never copied from a Parley request. */
const CONNECTION_FIELDS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
  'content-length',
]);

/**
 * Response bodies of at most this many bytes (by `content-length`) are read before the response
 * is returned, so reading them costs no stream machinery; larger ones stream.
 */
const SMALL_BODY_BYTES = 64 * 1024;

/** Opens the client side: a keep-alive pool of undici connections to the URL's origin. */
export function connectHttp(url: URL, options: HttpOptions, trace?: Trace): Connector {
  const pool = new Pool(url.origin, {
    connections: options.connections ?? HTTP_DEFAULTS.connections,
    keepAliveTimeout: options.clientKeepAliveTimeoutMs ?? HTTP_DEFAULTS.clientKeepAliveTimeoutMs,
    connect: { timeout: options.connectTimeoutMs ?? HTTP_DEFAULTS.connectTimeoutMs, ...options.tls },
  });
  const authorization = credentialsField(url, options);
  return {
    send: (request) => send(pool, request, authorization, trace),
    async close() {
      await pool.destroy();
    },
  };
}

function credentialsField(url: URL, options: HttpOptions): string | undefined {
  if (options.token !== undefined) return `Bearer ${options.token}`;
  const credentials = credentialsOf(url);
  return credentials && formatBasicAuth(credentials.username, credentials.password);
}

async function send(
  pool: Pool,
  request: Request,
  authorization: string | undefined,
  trace: Trace | undefined,
): Promise<Response> {
  const signal = request.signal;
  if (signal.aborted) throw abortError(signal);
  const method = request.method === 'LIST' ? 'GET' : request.method;
  const headers = outgoingFields(request, authorization);
  const payload = outgoingBody(request, headers);
  const path = requestTarget(request);
  if (trace !== undefined) traceHead(trace, 'client', 'send', `${method} ${path} HTTP/1.1`, headers);
  try {
    const answer = await pool.request({ method, path, headers, body: payload, signal });
    if (trace !== undefined)
      traceHead(trace, 'client', 'receive', `HTTP/1.1 ${answer.statusCode}`, answer.headers);
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
  } catch (error) {
    throw clientError(error, signal);
  }
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
