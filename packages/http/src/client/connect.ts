import type { Readable } from 'node:stream';
import { DESTINATION_HEADER, type Request, type Response } from '@parley/core';
import {
  abortError,
  type Connector,
  credentialsOf,
  formatBasicAuth,
  type Trace,
} from '@parley/core/transport';
import type { Pool } from 'undici';
import type { HttpOptions } from '../options.js';
import { HTTP_STATUS_MAP } from '../status-map.js';
import { traceHead } from '../trace.js';
import { type Answer, dispatchRequest, type Outgoing } from './answer.js';
import { clientError } from './errors.js';
import { FilledChunks } from './filled-body.js';
import { CONNECTION_FIELDS } from './owned-fields.js';
import { OriginPools } from './pools.js';
import { followRedirects, isRedirect, redirectLimit } from './redirects.js';
import { encodeTargetPath, requestTarget } from './target.js';

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
    gatheredBodyBytes: options.gatheredBodyBytes,
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
  /** The largest response body read whole before the response is returned (the option). */
  readonly gatheredBodyBytes: number | undefined;
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
  const body = outgoingBody(request, headers);
  const path = requestTarget(request);
  const { pools, trace } = client;
  try {
    const home = pools.home();
    const pool = home instanceof Promise ? await home : home;
    const outgoing = { method, path, headers, body, signal, gatheredBodyBytes: client.gatheredBodyBytes };
    let answer = await (trace === undefined
      ? dispatchRequest(pool, outgoing)
      : exchange(pool, outgoing, client.origin.host, trace));
    if (client.redirects > 0 && (method === 'GET' || method === 'HEAD') && isRedirect(answer)) {
      answer = await followRedirects(
        answer,
        new URL(path, client.origin),
        headers,
        client.redirects,
        (url, fields) =>
          exchange(
            pools.for(url.origin),
            {
              method,
              path: url.pathname + url.search,
              headers: fields,
              signal,
              gatheredBodyBytes: client.gatheredBodyBytes,
            },
            url.host,
            trace,
          ),
      );
    }
    return {
      status: HTTP_STATUS_MAP.fromWire(answer.statusCode),
      headers: answer.headers,
      body: answer.body,
    };
  } catch (error) {
    throw clientError(error, signal);
  }
}

/**
 * Sends one HTTP request on a pool, tracing its head and the answer's when tracing. The traced
 * head begins with the `host` field undici writes on the wire from the target's `host`.
 */
async function exchange(
  pool: Pool,
  outgoing: Outgoing,
  host: string,
  trace: Trace | undefined,
): Promise<Answer> {
  if (trace !== undefined) {
    const fields = ['host', host, ...outgoing.headers];
    traceHead(trace, 'client', 'send', `${outgoing.method} ${outgoing.path} HTTP/1.1`, fields);
  }
  const answer = await dispatchRequest(pool, outgoing);
  if (trace !== undefined)
    traceHead(trace, 'client', 'receive', `HTTP/1.1 ${answer.statusCode}`, answer.fields);
  return answer;
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

/**
 * The body to send: the buffered bytes in one write; else, with its length when known, read
 * into one reused buffer when its source can fill buffers it is given (a file), or the stream.
 */
function outgoingBody(request: Request, fields: string[]): Uint8Array | Readable | FilledChunks | null {
  const body = request.body;
  const buffered = body.buffered;
  if (buffered !== undefined) {
    if (buffered.byteLength > 0) return buffered;
    const method = request.method;
    return method === 'PUT' || method === 'POST' ? buffered : null;
  }
  const declared = body.size ?? request.headers.get('content-length');
  if (declared !== undefined) fields.push('content-length', String(declared));
  const fill = body.filler();
  return fill === undefined ? body.stream() : new FilledChunks(fill);
}
