import {
  abortError,
  Body,
  type Connector,
  DESTINATION_HEADER,
  HeaderMap,
  ParleyError,
  type Request,
  type Response,
  type Trace,
} from '@parley/core';
import { statusFromHttp } from '../status-map.js';
import { traceHead } from '../trace.js';
import { canStreamRequests, incomingChunks, outgoingBody, type UploadPolicy } from './fetch-body.js';
import { FETCH_HTTP_DEFAULTS, type FetchHttpOptions } from './fetch-options.js';
import { FETCH_OWNED_FIELDS } from './owned-fields.js';
import { encodeTargetPath, requestTarget } from './target.js';

/** Opens the client side on the platform's `fetch`: each request one fetch to the URL's origin. */
export function connectFetch(url: URL, options: FetchHttpOptions, trace?: Trace): Connector {
  const closed = new AbortController();
  const authorization = credentialsField(url, options);
  const streaming = options.streamUploads ?? 'auto';
  const policy: UploadPolicy = {
    stream: streaming === 'auto' ? url.protocol === 'https:' && canStreamRequests() : streaming,
    maxBufferedBytes: options.maxBufferedUploadBytes ?? FETCH_HTTP_DEFAULTS.maxBufferedUploadBytes,
  };
  const settings = { origin: url.origin, authorization, policy, credentials: options.credentials, trace };
  return {
    send(request) {
      if (closed.signal.aborted)
        return Promise.reject(new ParleyError('unavailable', 'The client is closed', { retryable: false }));
      return send(request, settings, closed.signal);
    },
    async close() {
      closed.abort(new ParleyError('unavailable', 'The client is closed', { retryable: false }));
    },
  };
}

interface Settings {
  readonly origin: string;
  readonly authorization: string | undefined;
  readonly policy: UploadPolicy;
  readonly credentials: FetchHttpOptions['credentials'];
  readonly trace: Trace | undefined;
}

function credentialsField(url: URL, options: FetchHttpOptions): string | undefined {
  if (options.token !== undefined) return `Bearer ${options.token}`;
  if (url.username === '') return undefined;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  let binary = '';
  for (const byte of new TextEncoder().encode(pair)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

async function send(request: Request, settings: Settings, closed: AbortSignal): Promise<Response> {
  const caller = request.signal;
  if (caller.aborted) throw abortError(caller);
  const signal = AbortSignal.any([caller, closed]);
  const method = request.method === 'LIST' ? 'GET' : request.method;
  const path = requestTarget(request);
  const headers = outgoingFields(request, settings.authorization);
  const upload = await outgoingBody(request, settings.policy);
  if (settings.trace !== undefined)
    traceHead(settings.trace, 'client', 'send', `${method} ${path} HTTP`, [...headers].flat());
  let answer: globalThis.Response;
  try {
    answer = await fetch(settings.origin + path, {
      method,
      headers,
      body: upload.body,
      signal,
      redirect: 'manual',
      ...(upload.duplex === undefined ? {} : { duplex: upload.duplex }),
      ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    } as RequestInit);
  } catch (error) {
    throw fetchError(error, signal);
  }
  const fields = new HeaderMap(answer.headers);
  if (settings.trace !== undefined)
    traceHead(settings.trace, 'client', 'receive', `HTTP ${answer.status}`, [...fields].flat());
  return {
    status: statusFromHttp(answer.status),
    headers: fields,
    body: incomingBody(answer, method, signal),
  };
}

function incomingBody(answer: globalThis.Response, method: string, signal: AbortSignal): Body {
  if (answer.body === null || method === 'HEAD') return Body.empty();
  const length = answer.headers.get('content-length');
  return Body.from(incomingChunks(answer.body, signal), length === null ? undefined : Number(length));
}

function outgoingFields(request: Request, authorization: string | undefined): Headers {
  const headers = new Headers();
  const move = request.method === 'MOVE';
  try {
    for (const [name, value] of request.headers) {
      if (FETCH_OWNED_FIELDS.has(name)) continue;
      // A MOVE's target path travels as WebDAV's Destination: a percent-encoded path.
      headers.append(name, move && name === DESTINATION_HEADER ? encodeTargetPath(value) : value);
    }
  } catch (error) {
    throw new ParleyError('bad_request', `A header field cannot be sent: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (authorization !== undefined && !headers.has('authorization'))
    headers.set('authorization', authorization);
  return headers;
}

/**
 * The ParleyError for a fetch that got no answer: the abort reason when a signal aborted
 * (`cancelled`, `timeout`, or `unavailable` once the client is closed), else `unavailable`
 * (retryable: fetch fails this way when the server cannot be reached).
 */
function fetchError(error: unknown, signal: AbortSignal): ParleyError {
  if (signal.aborted) return ParleyError.from(signal.reason);
  if (error instanceof ParleyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ParleyError('unavailable', `The HTTP request failed: ${message}`, {
    cause: error,
    retryable: true,
  });
}
